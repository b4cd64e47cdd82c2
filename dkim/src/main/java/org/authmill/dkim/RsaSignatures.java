package org.authmill.dkim;

import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import javax.crypto.Cipher;

/**
 * Which JCA provider does the RSA private-key operation of a DKIM signature (RSASSA-PKCS1-v1_5, RFC
 * 8017 §8.2.1, as RFC 6376 §3.3.1 signs): the JDK's, or a native one, the Amazon Corretto Crypto
 * Provider (AWS-LC), when its class is on the class path and its native library loads on this
 * platform. The choice is process-wide, as JCA providers are; the default is {@link Mode#AUTO},
 * overridden by the system property {@value #PROPERTY} ({@code auto}, {@code native}, {@code jdk})
 * and then by {@link #configure}.
 *
 * <p>PKCS#1 v1.5 signatures are deterministic, so both give the same octets: the native provider
 * computes RSASP1 ({@code RSA/ECB/NoPadding} with the private key) over the EMSA-PKCS1-v1_5
 * encoding built here (RFC 8017 §9.2), the JDK signs with {@code NONEwithRSA} over the DigestInfo.
 * AWS-LC's private-key operation uses blinding and checks its CRT result, as the JDK's does.
 */
public final class RsaSignatures {
  /** The system property that sets the {@link Mode} at start ({@code auto|native|jdk}). */
  public static final String PROPERTY = "authmill.signing.rsa-provider";

  /** The provider class (software.amazon.cryptools:AmazonCorrettoCryptoProvider). */
  static final String NATIVE_CLASS =
      "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

  /** How the provider is chosen. */
  public enum Mode {
    /** The native provider when it loads, else the JDK's. */
    AUTO,
    /** The native provider; {@link #configure} fails when it does not load. */
    NATIVE,
    /** The JDK's provider always. */
    JDK;

    /** {@code auto}, {@code native} or {@code jdk}, any case. */
    public static Mode parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "RSA provider must be auto, native or jdk, got \"" + text + "\"", e);
      }
    }
  }

  /** The native provider, or why it is not there; looked up once. */
  private static final class Native {
    static final Provider PROVIDER;
    static final String PROBLEM;

    static {
      Provider provider = null;
      String problem = null;
      try {
        Class<?> type = Class.forName(NATIVE_CLASS);
        Field instance = type.getField("INSTANCE");
        provider = (Provider) instance.get(null);
        Object error = type.getMethod("getLoadingError").invoke(provider);
        if (error != null) {
          problem = "its native library did not load: " + error;
          provider = null;
        }
      } catch (ClassNotFoundException e) {
        problem = "AmazonCorrettoCryptoProvider is not on the class path";
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        problem = "it failed to load: " + e;
        provider = null;
      }
      PROVIDER = provider;
      PROBLEM = problem;
    }
  }

  /** Native keys made from JDK keys, once per key (a native key holds its precomputed context). */
  private static final Map<RSAPrivateKey, PrivateKey> NATIVE_KEYS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static volatile Mode mode = initialMode();

  private RsaSignatures() {}

  private static Mode initialMode() {
    String property = System.getProperty(PROPERTY);
    if (property == null || property.isBlank()) {
      return Mode.AUTO;
    }
    try {
      return Mode.parse(property);
    } catch (IllegalArgumentException e) {
      // A bad property must not silently sign with something else: the first signature says why.
      return null;
    }
  }

  /**
   * Sets the mode for every later signature. {@link Mode#NATIVE} fails with an {@link
   * IllegalStateException} naming the reason when the native provider does not load.
   */
  public static void configure(Mode newMode) {
    if (newMode == Mode.NATIVE && Native.PROVIDER == null) {
      throw new IllegalStateException(
          "signing.rsa-provider is native but the native RSA provider is unavailable: "
              + Native.PROBLEM);
    }
    mode = newMode;
  }

  /** The mode in force: the system property's, or the last {@link #configure}. */
  public static Mode mode() {
    Mode m = mode;
    if (m == null) {
      Mode.parse(System.getProperty(PROPERTY)); // throws, naming the bad value
    }
    return m;
  }

  /** The provider the next RSA signature uses, when it is the native one. */
  static Optional<Provider> nativeProvider() {
    return switch (mode()) {
      case JDK -> Optional.empty();
      case AUTO -> Optional.ofNullable(Native.PROVIDER);
      case NATIVE -> {
        if (Native.PROVIDER == null) {
          throw new IllegalStateException(
              "the native RSA provider is unavailable: " + Native.PROBLEM);
        }
        yield Optional.of(Native.PROVIDER);
      }
    };
  }

  /**
   * One line for the start-up log: which provider signs with RSA, and why not the native one when
   * it is not used, e.g. {@code native (AmazonCorrettoCryptoProvider 2.5.0), mode auto}.
   */
  public static String describe() {
    Mode m = mode();
    Optional<Provider> p = nativeProvider();
    if (p.isPresent()) {
      return "native ("
          + p.get().getName()
          + " "
          + p.get().getVersionStr()
          + "), mode "
          + m.name().toLowerCase(Locale.ROOT);
    }
    String jdk = "jdk (" + jdkProviderName() + "), mode " + m.name().toLowerCase(Locale.ROOT);
    return m == Mode.AUTO ? jdk + "; native unavailable: " + Native.PROBLEM : jdk;
  }

  private static String jdkProviderName() {
    try {
      return Signature.getInstance("NONEwithRSA").getProvider().getName();
    } catch (GeneralSecurityException e) {
      return "none: " + e.getMessage();
    }
  }

  /** The RSASSA-PKCS1-v1_5 signature of a SHA-256 hash with the provider the mode chooses. */
  static byte[] sign(PrivateKey key, byte[] sha256) {
    Optional<Provider> p = key instanceof RSAPrivateKey ? nativeProvider() : Optional.empty();
    return p.isPresent() ? signNative(p.get(), (RSAPrivateKey) key, sha256) : signJdk(key, sha256);
  }

  /** With the JDK's provider: {@code NONEwithRSA} over DigestInfo || hash. */
  static byte[] signJdk(PrivateKey key, byte[] sha256) {
    try {
      Signature signer = Signature.getInstance("NONEwithRSA");
      signer.initSign(key);
      signer.update(Crypto.SHA256_DIGEST_INFO);
      signer.update(sha256);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA signing failed: " + e.getMessage(), e);
    }
  }

  /** With a native provider: RSASP1 over EMSA-PKCS1-v1_5(hash). */
  static byte[] signNative(Provider provider, RSAPrivateKey key, byte[] sha256) {
    try {
      PrivateKey nativeKey = NATIVE_KEYS.get(key);
      if (nativeKey == null) {
        nativeKey = (PrivateKey) KeyFactory.getInstance("RSA", provider).translateKey(key);
        NATIVE_KEYS.put(key, nativeKey);
      }
      Cipher cipher = Cipher.getInstance("RSA/ECB/NoPadding", provider);
      cipher.init(Cipher.ENCRYPT_MODE, nativeKey);
      return cipher.doFinal(emsaPkcs1(sha256, key.getModulus().bitLength()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "RSA signing failed (" + provider.getName() + "): " + e.getMessage(), e);
    }
  }

  /**
   * EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of a SHA-256 hash for a modulus of {@code bits} bits: {@code 00
   * 01 FF..FF 00 DigestInfo H}, as long as the modulus.
   */
  static byte[] emsaPkcs1(byte[] sha256, int bits) {
    int k = (bits + 7) / 8;
    int t = Crypto.SHA256_DIGEST_INFO.length + sha256.length;
    if (sha256.length != 32 || k < t + 11) {
      throw new IllegalArgumentException("RSA modulus of " + bits + " bits too short for SHA-256");
    }
    byte[] em = new byte[k];
    em[1] = 0x01;
    Arrays.fill(em, 2, k - t - 1, (byte) 0xff);
    System.arraycopy(Crypto.SHA256_DIGEST_INFO, 0, em, k - t, Crypto.SHA256_DIGEST_INFO.length);
    System.arraycopy(sha256, 0, em, k - sha256.length, sha256.length);
    return em;
  }
}
