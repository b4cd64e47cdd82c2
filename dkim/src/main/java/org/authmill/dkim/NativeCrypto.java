package org.authmill.dkim;

import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Which JCA provider computes DKIM's RSA operations (RSASSA-PKCS1-v1_5 signing and verification,
 * RFC 8017 §8.2, as RFC 6376 §3.3.1 uses them) and its SHA-256 hashes (RFC 6376 §3.7): the JDK's,
 * or a native one, the Amazon Corretto Crypto Provider (AWS-LC), when its class is on the class
 * path and its native library loads on this platform. Native code needs no JIT warm-up, so a
 * freshly started filter verifies at full speed from its first message. The choice is process-wide,
 * as JCA providers are; the default is {@link Mode#AUTO}, overridden by the system property {@value
 * #PROPERTY} ({@code auto}, {@code native}, {@code jdk}) and then by {@link #configure}.
 *
 * <p>Both give the same results: PKCS#1 v1.5 signatures are deterministic, and both paths compute
 * only the raw RSA operation (RSASP1, RSAVP1) over an encoding authmill builds and compares itself
 * ({@link Crypto}). AWS-LC's private-key operation uses blinding and checks its CRT result, as the
 * JDK's does.
 */
public final class NativeCrypto {
  /** The system property that sets the {@link Mode} at start ({@code auto|native|jdk}). */
  public static final String PROPERTY = "authmill.crypto.provider";

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
            PROPERTY + " must be auto, native or jdk, got \"" + text + "\"", e);
      }
    }
  }

  /** The native provider, or why it is not there; looked up once. */
  private static final class Native {
    static final Provider PROVIDER;
    static final String PROBLEM;
    static final MessageDigest SHA256;

    static {
      Provider provider = null;
      String problem = null;
      MessageDigest sha256 = null;
      try {
        Class<?> type = Class.forName(NATIVE_CLASS);
        Field instance = type.getField("INSTANCE");
        provider = (Provider) instance.get(null);
        Object error = type.getMethod("getLoadingError").invoke(provider);
        if (error != null) {
          problem = "its native library did not load: " + error;
          provider = null;
        } else {
          sha256 = MessageDigest.getInstance("SHA-256", provider);
        }
      } catch (ClassNotFoundException e) {
        problem = "AmazonCorrettoCryptoProvider is not on the class path";
      } catch (ReflectiveOperationException
          | GeneralSecurityException
          | LinkageError
          | RuntimeException e) {
        problem = "it failed to load: " + e;
        provider = null;
      }
      PROVIDER = provider;
      PROBLEM = problem;
      SHA256 = sha256;
    }
  }

  /** Native keys made from JDK keys, once per key (a native key holds its precomputed context). */
  private static final Map<Key, Key> NATIVE_KEYS = Collections.synchronizedMap(new WeakHashMap<>());

  private static volatile Mode mode = initialMode();

  private NativeCrypto() {}

  private static Mode initialMode() {
    String property = System.getProperty(PROPERTY);
    if (property == null || property.isBlank()) {
      return Mode.AUTO;
    }
    try {
      return Mode.parse(property);
    } catch (IllegalArgumentException e) {
      // A bad property must not silently use something else: the first operation says why.
      return null;
    }
  }

  /**
   * Sets the mode for every later operation. {@link Mode#NATIVE} fails with an {@link
   * IllegalStateException} naming the reason when the native provider does not load.
   */
  public static void configure(Mode newMode) {
    if (newMode == Mode.NATIVE && Native.PROVIDER == null) {
      throw new IllegalStateException(
          PROPERTY + " is native but the native provider is unavailable: " + Native.PROBLEM);
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

  /** The provider the next operation uses, when it is the native one. */
  static Optional<Provider> provider() {
    return switch (mode()) {
      case JDK -> Optional.empty();
      case AUTO -> Optional.ofNullable(Native.PROVIDER);
      case NATIVE -> {
        if (Native.PROVIDER == null) {
          throw new IllegalStateException("the native provider is unavailable: " + Native.PROBLEM);
        }
        yield Optional.of(Native.PROVIDER);
      }
    };
  }

  /** The native SHA-256 to clone, when the native provider is in use. */
  static Optional<MessageDigest> sha256() {
    return provider().map(p -> Native.SHA256);
  }

  /**
   * The provider's own object for a JDK RSA key, made once per key and kept while it lives. Made
   * from the key's encoding, not by {@code KeyFactory.translateKey}: ACCP marks a translated key
   * ephemeral and destroys it when a cipher that used it moves on to another key.
   */
  static Key translate(Provider provider, Key key) throws GeneralSecurityException {
    Key translated = NATIVE_KEYS.get(key);
    if (translated == null) {
      KeyFactory factory = KeyFactory.getInstance("RSA", provider);
      translated =
          key instanceof PrivateKey
              ? factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()))
              : factory.generatePublic(new X509EncodedKeySpec(key.getEncoded()));
      NATIVE_KEYS.put(key, translated);
    }
    return translated;
  }

  /**
   * One line for the start-up log: which provider computes RSA and SHA-256, and why not the native
   * one when it is not used, e.g. {@code native (AmazonCorrettoCryptoProvider 2.5.0), mode auto}.
   */
  public static String describe() {
    Mode m = mode();
    Optional<Provider> p = provider();
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
}
