package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.authmill.testkit.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RsaSignaturesTest {
  private static final DkimPrivateKey RSA = DkimPrivateKey.generateRsa(2048);
  private static final byte[] MESSAGE =
      TestMessages.crlf(
          "From: a@example.com\nTo: b@example.org\nSubject: native\n"
              + "Date: Thu, 3 Dec 2026 10:00:00 +0000\n\nbody line\n");

  @AfterEach
  void restore() {
    RsaSignatures.configure(RsaSignatures.Mode.AUTO);
  }

  /** The native provider, or a skip (a failure in CI) naming why it did not load. */
  private static Provider nativeProvider() {
    RsaSignatures.configure(RsaSignatures.Mode.AUTO);
    Optional<Provider> p = RsaSignatures.nativeProvider();
    if (p.isEmpty()) {
      return Peers.missing(
          "the native RSA provider (AmazonCorrettoCryptoProvider, linux-x86_64): "
              + RsaSignatures.describe());
    }
    return p.get();
  }

  private static String signedField(RsaSignatures.Mode mode) {
    RsaSignatures.configure(mode);
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
    String jdk = signedField(RsaSignatures.Mode.JDK);
    String viaNative = signedField(RsaSignatures.Mode.NATIVE);
    assertThat(jdk).contains("DKIM-Signature:").contains("a=rsa-sha256");
    assertThat(viaNative).isEqualTo(jdk);
    assertThat(RsaSignatures.describe()).startsWith("native (AmazonCorrettoCryptoProvider");
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
      byte[] viaNative = RsaSignatures.signNative(provider, key, hash);
      assertThat(viaNative).isEqualTo(RsaSignatures.signJdk(key, hash));
      assertThat(Crypto.verifyRsa(pair.getPublic(), hash, viaNative)).isTrue();
    }
  }

  @Test
  void configure_jdk_describesJdk() {
    RsaSignatures.configure(RsaSignatures.Mode.JDK);
    assertThat(RsaSignatures.nativeProvider()).isEmpty();
    assertThat(RsaSignatures.describe()).startsWith("jdk (").endsWith("mode jdk");
  }

  @Test
  void parse_badValue_namesIt() {
    assertThat(RsaSignatures.Mode.parse(" Native ")).isEqualTo(RsaSignatures.Mode.NATIVE);
    assertThatThrownBy(() -> RsaSignatures.Mode.parse("openssl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, native or jdk")
        .hasMessageContaining("openssl");
  }

  @Test
  void emsaPkcs1_layout() {
    byte[] hash = new byte[32];
    hash[31] = 7;
    byte[] em = RsaSignatures.emsaPkcs1(hash, 2048);
    assertThat(em).hasSize(256);
    assertThat(em[0]).isEqualTo((byte) 0);
    assertThat(em[1]).isEqualTo((byte) 1);
    assertThat(em[2]).isEqualTo((byte) 0xff);
    assertThat(em[256 - 32 - 19 - 1]).isEqualTo((byte) 0);
    assertThat(em[256 - 32 - 19]).isEqualTo((byte) 0x30);
    assertThat(em[255]).isEqualTo((byte) 7);
    assertThatThrownBy(() -> RsaSignatures.emsaPkcs1(hash, 256)).hasMessageContaining("too short");
  }
}
