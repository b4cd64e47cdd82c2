package org.authmill.bench;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The RSA-2048 private-key operation of a DKIM signature (RFC 8017 §8.2.1, RSASSA-PKCS1-v1_5 over
 * the SHA-256 of the header hash input) by three JCA providers in one run: the JDK's ({@code
 * NONEwithRSA}, what authmill's signer uses without a native provider), the Amazon Corretto Crypto
 * Provider (AWS-LC) and Conscrypt (BoringSSL), each through {@code RSA/ECB/NoPadding} over the
 * encoded message (EMSA-PKCS1-v1_5), which is how authmill's {@code Crypto} drives a native
 * provider.
 *
 * <p>Each operation signs once with each provider, the order rotating from one operation to the
 * next, and adds each one's time to its counter ({@code jdkNanos}, {@code accpNanos}, {@code
 * conscryptNanos}): on a loaded machine the three then see the same load. The setup checks that the
 * three signatures are byte-identical (PKCS#1 v1.5 is deterministic).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RsaProviderBenchmark {
  /** DigestInfo prefix of SHA-256 (RFC 8017 §9.2 note 1). */
  private static final byte[] SHA256_DIGEST_INFO = {
    0x30,
    0x31,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    (byte) 0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x01,
    0x05,
    0x00,
    0x04,
    0x20
  };

  private PrivateKey key;
  private byte[] sha256;
  private byte[] encoded;
  private Provider accp;
  private Provider conscrypt;
  private PrivateKey accpKey;
  private PrivateKey conscryptKey;
  private int turn;

  /** Nanoseconds per provider in one iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counters {
    public long jdkNanos;
    public long accpNanos;
    public long conscryptNanos;

    @Setup(Level.Iteration)
    public void reset() {
      jdkNanos = 0;
      accpNanos = 0;
      conscryptNanos = 0;
    }
  }

  @Setup
  public void setUp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    key = pair.getPrivate();
    sha256 =
        MessageDigest.getInstance("SHA-256")
            .digest(BenchMessages.body(4096)); // any 32 octets; the operation does not care
    encoded = emsaPkcs1(sha256, ((RSAPrivateCrtKey) key).getModulus().bitLength());
    accp =
        (Provider)
            Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                .getField("INSTANCE")
                .get(null);
    Object error = accp.getClass().getMethod("getLoadingError").invoke(accp);
    if (error != null) {
      throw new IllegalStateException("ACCP's native library did not load: " + error);
    }
    conscrypt =
        (Provider) Class.forName("org.conscrypt.Conscrypt").getMethod("newProvider").invoke(null);
    // Converted once, as NativeCrypto keeps them: a native key holds its precomputed context.
    // A new cipher per signature never moves to another key, so ACCP's ephemeral key lives.
    accpKey = (PrivateKey) KeyFactory.getInstance("RSA", accp).translateKey(key);
    conscryptKey = (PrivateKey) KeyFactory.getInstance("RSA", conscrypt).translateKey(key);
    byte[] jdk = jdk();
    if (!Arrays.equals(jdk, raw(accp, accpKey))
        || !Arrays.equals(jdk, raw(conscrypt, conscryptKey))) {
      throw new IllegalStateException("the providers' RSA signatures differ");
    }
  }

  @Benchmark
  public void sign(Counters counters, Blackhole blackhole) throws Exception {
    turn = (turn + 1) % 3;
    for (int i = 0; i < 3; i++) {
      int which = (turn + i) % 3;
      long start = System.nanoTime();
      blackhole.consume(
          which == 0 ? jdk() : which == 1 ? raw(accp, accpKey) : raw(conscrypt, conscryptKey));
      long nanos = System.nanoTime() - start;
      if (which == 0) {
        counters.jdkNanos += nanos;
      } else if (which == 1) {
        counters.accpNanos += nanos;
      } else {
        counters.conscryptNanos += nanos;
      }
    }
  }

  private byte[] jdk() throws GeneralSecurityException {
    Signature signer = Signature.getInstance("NONEwithRSA");
    signer.initSign(key);
    signer.update(SHA256_DIGEST_INFO);
    signer.update(sha256);
    return signer.sign();
  }

  private byte[] raw(Provider provider, PrivateKey translated) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("RSA/ECB/NoPadding", provider);
    cipher.init(Cipher.ENCRYPT_MODE, translated);
    return cipher.doFinal(encoded);
  }

  /** EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of a SHA-256 hash for a modulus of {@code bits} bits. */
  static byte[] emsaPkcs1(byte[] sha256, int bits) {
    int k = (bits + 7) / 8;
    byte[] em = new byte[k];
    em[1] = 0x01;
    int t = SHA256_DIGEST_INFO.length + sha256.length;
    Arrays.fill(em, 2, k - t - 1, (byte) 0xff);
    System.arraycopy(SHA256_DIGEST_INFO, 0, em, k - t, SHA256_DIGEST_INFO.length);
    System.arraycopy(sha256, 0, em, k - sha256.length, sha256.length);
    return em;
  }
}
