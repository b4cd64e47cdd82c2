package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.authmill.testkit.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NativeCryptoTest {
  private static final DkimPrivateKey RSA = DkimPrivateKey.generateRsa(2048);
  private static final byte[] MESSAGE =
      TestMessages.crlf(
          "From: a@example.com\nTo: b@example.org\nSubject: native\n"
              + "Date: Thu, 3 Dec 2026 10:00:00 +0000\n\nbody line\n");

  @AfterEach
  void restore() {
    NativeCrypto.configure(NativeCrypto.Mode.AUTO);
  }

  /** The native provider, or a skip (a failure in CI) naming why it did not load. */
  private static Provider nativeProvider() {
    NativeCrypto.configure(NativeCrypto.Mode.AUTO);
    Optional<Provider> p = NativeCrypto.provider();
    if (p.isEmpty()) {
      return Peers.missing(
          "the native RSA provider (AmazonCorrettoCryptoProvider, linux-x86_64): "
              + NativeCrypto.describe());
    }
    return p.get();
  }

  private static String signedField(NativeCrypto.Mode mode) {
    NativeCrypto.configure(mode);
    DkimSigner signer =
        DkimSigner.builder()
            .domain("example.com")
            .selector("s1")
            .key(RSA)
            .clock(Clock.fixed(Instant.ofEpochSecond(1_790_000_000L), ZoneOffset.UTC))
            .build();
    return new String(TestMessages.sign(signer, MESSAGE), StandardCharsets.US_ASCII);
  }

  @Test
  void sign_nativeAndJdk_sameMessageByteIdentical() {
    nativeProvider();
    String jdk = signedField(NativeCrypto.Mode.JDK);
    String viaNative = signedField(NativeCrypto.Mode.NATIVE);
    assertThat(jdk).contains("DKIM-Signature:").contains("a=rsa-sha256");
    assertThat(viaNative).isEqualTo(jdk);
    assertThat(NativeCrypto.describe()).startsWith("native (AmazonCorrettoCryptoProvider");
  }

  @Test
  void sign_manyHashes_identicalAndVerifiable() throws Exception {
    Provider provider = nativeProvider();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    RSAPrivateKey key = (RSAPrivateKey) pair.getPrivate();
    for (int i = 0; i < 20; i++) {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(("m" + i).getBytes(StandardCharsets.UTF_8));
      byte[] viaNative =
          Crypto.rsaNative(
              provider, javax.crypto.Cipher.ENCRYPT_MODE, key, Crypto.emsaPkcs1(hash, 2048));
      assertThat(viaNative).isEqualTo(Crypto.signRsaJdk(key, hash));
      NativeCrypto.configure(NativeCrypto.Mode.NATIVE);
      assertThat(Crypto.verifyRsa(pair.getPublic(), hash, viaNative)).isTrue();
      hash[i] ^= 1;
      assertThat(Crypto.verifyRsa(pair.getPublic(), hash, viaNative)).isFalse();
      NativeCrypto.configure(NativeCrypto.Mode.JDK);
      assertThat(Crypto.verifyRsa(pair.getPublic(), hash, viaNative)).isFalse();
      hash[i] ^= 1;
      assertThat(Crypto.verifyRsa(pair.getPublic(), hash, viaNative)).isTrue();
    }
  }

  @Test
  void verifyRsa_nativeAndJdk_agreeOnMalformedSignatures() throws Exception {
    nativeProvider();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair pair = generator.generateKeyPair();
    RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(new byte[] {1});
    byte[] good = Crypto.signRsaJdk(pair.getPrivate(), hash);
    byte[] modulus = pub.getModulus().toByteArray();
    byte[] modulusOctets =
        java.util.Arrays.copyOfRange(modulus, modulus.length - 128, modulus.length);
    byte[][] candidates = {
      good,
      new byte[128],
      modulusOctets, // equal to n: not below the modulus (RSAVP1 step 1)
      java.util.Arrays.copyOf(good, 127),
      java.util.Arrays.copyOf(good, 129),
      flipped(good, 0),
      flipped(good, 127),
      Crypto.signRsaJdk(pair.getPrivate(), flipped(hash, 31)),
    };
    for (byte[] candidate : candidates) {
      NativeCrypto.configure(NativeCrypto.Mode.JDK);
      boolean jdk = Crypto.verifyRsa(pub, hash, candidate);
      NativeCrypto.configure(NativeCrypto.Mode.NATIVE);
      assertThat(Crypto.verifyRsa(pub, hash, candidate)).isEqualTo(jdk);
    }
    NativeCrypto.configure(NativeCrypto.Mode.NATIVE);
    assertThat(Crypto.verifyRsa(pub, hash, good)).isTrue();
    assertThat(Crypto.verifyRsa(pub, hash, flipped(good, 5))).isFalse();
  }

  @Test
  void rsa_keyTheNativeProviderRefuses_sameResultsAsTheJdk() throws Exception {
    nativeProvider();
    // a public exponent of 41 bits: valid RSA, beyond the 33 bits AWS-LC accepts
    BigInteger exponent = BigInteger.ONE.shiftLeft(40).add(BigInteger.valueOf(15));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(new RSAKeyGenParameterSpec(2048, exponent));
    KeyPair pair = generator.generateKeyPair();
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(new byte[] {7});
    byte[] jdk = Crypto.signRsaJdk(pair.getPrivate(), hash);
    NativeCrypto.configure(NativeCrypto.Mode.NATIVE);
    assertThat(Crypto.signRsa(pair.getPrivate(), hash)).isEqualTo(jdk);
    assertThat(Crypto.verifyRsa(pair.getPublic(), hash, jdk)).isTrue();
    assertThat(Crypto.verifyRsa(pair.getPublic(), hash, flipped(jdk, 9))).isFalse();
    // and the provider still works for ordinary keys afterwards
    KeyPair ordinary = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    byte[] signature = Crypto.signRsa(ordinary.getPrivate(), hash);
    assertThat(signature).isEqualTo(Crypto.signRsaJdk(ordinary.getPrivate(), hash));
    assertThat(Crypto.verifyRsa(ordinary.getPublic(), hash, signature)).isTrue();
  }

  @Test
  void sha256_nativeAndJdk_sameDigest() {
    nativeProvider();
    byte[] input = new byte[10_000];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i * 31);
    }
    NativeCrypto.configure(NativeCrypto.Mode.NATIVE);
    MessageDigest viaNative = Crypto.sha256();
    assertThat(viaNative.getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    NativeCrypto.configure(NativeCrypto.Mode.JDK);
    MessageDigest jdk = Crypto.sha256();
    assertThat(jdk.getProvider().getName()).isNotEqualTo("AmazonCorrettoCryptoProvider");
    for (int i = 0; i < input.length; i += 997) {
      viaNative.update(input, i, Math.min(997, input.length - i));
      jdk.update(input, i, Math.min(997, input.length - i));
    }
    assertThat(viaNative.digest()).isEqualTo(jdk.digest());
  }

  private static byte[] flipped(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x01;
    return copy;
  }

  @Test
  void configure_jdk_describesJdk() {
    NativeCrypto.configure(NativeCrypto.Mode.JDK);
    assertThat(NativeCrypto.provider()).isEmpty();
    assertThat(NativeCrypto.describe()).startsWith("jdk (").endsWith("mode jdk");
  }

  @Test
  void parse_badValue_namesIt() {
    assertThat(NativeCrypto.Mode.parse(" Native ")).isEqualTo(NativeCrypto.Mode.NATIVE);
    assertThatThrownBy(() -> NativeCrypto.Mode.parse("openssl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, native or jdk")
        .hasMessageContaining("openssl");
  }

  @Test
  void emsaPkcs1_layout() {
    byte[] hash = new byte[32];
    hash[31] = 7;
    byte[] em = Crypto.emsaPkcs1(hash, 2048);
    assertThat(em).hasSize(256);
    assertThat(em[0]).isEqualTo((byte) 0);
    assertThat(em[1]).isEqualTo((byte) 1);
    assertThat(em[2]).isEqualTo((byte) 0xff);
    assertThat(em[256 - 32 - 19 - 1]).isEqualTo((byte) 0);
    assertThat(em[256 - 32 - 19]).isEqualTo((byte) 0x30);
    assertThat(em[255]).isEqualTo((byte) 7);
    assertThatThrownBy(() -> Crypto.emsaPkcs1(hash, 256)).hasMessageContaining("too short");
  }
}
