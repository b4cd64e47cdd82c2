package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.authmill.testkit.Peers;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimPrivateKeyTest {
  @Test
  void parse_pkcs1RsaPem() throws Exception {
    DkimPrivateKey key = DkimPrivateKey.read(TestPaths.suite("dkim/dkimpy/test.private"));
    assertThat(key.algorithm()).isEqualTo(SignatureAlgorithm.RSA_SHA256);
    assertThat(key.bits()).isEqualTo(1024);
    DkimKeyRecord published =
        DkimKeyRecord.parse(Files.readString(TestPaths.suite("dkim/dkimpy/test.txt")))
            .value()
            .orElseThrow();
    assertThat(key.matches(published)).isTrue();
  }

  @Test
  void parse_base64Seed_isEd25519() throws Exception {
    DkimPrivateKey key = DkimPrivateKey.read(TestPaths.suite("dkim/rfc8463/private-ec.key"));
    assertThat(key.algorithm()).isEqualTo(SignatureAlgorithm.ED25519_SHA256);
    // RFC 8032 §7.1 test 1 public key, as RFC 8463 Appendix A publishes it
    assertThat(Base64.getEncoder().encodeToString(key.publicKeyData()))
        .isEqualTo("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
  }

  @Test
  void parse_jdkPkcs8Keys() throws Exception {
    for (String algorithm : new String[] {"RSA", "Ed25519"}) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder().encodeToString(der)
              + "\n-----END PRIVATE KEY-----\n";
      DkimPrivateKey key = DkimPrivateKey.parse(pem);
      assertThat(key.algorithm().keyType()).isEqualTo(algorithm.toLowerCase());
      assertThat(DkimPrivateKey.parse(key.toPkcs8Pem()).publicKeyData())
          .isEqualTo(key.publicKeyData());
    }
  }

  @Test
  void parse_badInput_saysWhy() {
    assertThatThrownBy(() -> DkimPrivateKey.parse("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a PEM key");
    assertThatThrownBy(
            () ->
                DkimPrivateKey.parse(
                    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBAA==\n-----END ENCRYPTED PRIVATE KEY-----\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_smallRsa_refused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(512);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder()
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    assertThatThrownBy(() -> DkimPrivateKey.parse(pem)).hasMessageContaining("512 bits");
  }

  @Test
  void toPkcs8Pem_readByOpenssl(@TempDir Path dir) throws Exception {
    Path openssl = Peers.command("openssl", "openssl");
    for (DkimPrivateKey key :
        new DkimPrivateKey[] {DkimPrivateKey.generateRsa(1024), DkimPrivateKey.generateEd25519()}) {
      Path file = dir.resolve(key.algorithm().keyType() + ".pem");
      Files.writeString(file, key.toPkcs8Pem());
      Process p =
          new ProcessBuilder(
                  openssl.toString(), "pkey", "-in", file.toString(), "-pubout", "-outform", "DER")
              .start();
      byte[] der = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      byte[] expected = key.publicKeyData();
      if (key.algorithm() == SignatureAlgorithm.ED25519_SHA256) {
        der = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
      }
      assertThat(der).isEqualTo(expected);
    }
  }

  @Test
  void keyRecord_parsesBackAndMatches() {
    DkimPrivateKey key = DkimPrivateKey.generateEd25519();
    DkimKeyRecord record = DkimKeyRecord.parse(key.keyRecord()).value().orElseThrow();
    assertThat(key.matches(record)).isTrue();
    assertThat(DkimPrivateKey.generateEd25519().matches(record)).isFalse();
  }
}
