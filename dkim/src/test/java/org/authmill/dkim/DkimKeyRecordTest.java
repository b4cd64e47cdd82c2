package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import org.authmill.dns.ParseResult;
import org.junit.jupiter.api.Test;

class DkimKeyRecordTest {
  private static final String RSA_P =
      "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

  private static DkimKeyRecord valid(String text) {
    ParseResult<DkimKeyRecord> parse = DkimKeyRecord.parse(text);
    assertThat(parse).isInstanceOf(ParseResult.Parsed.class);
    return parse.value().orElseThrow();
  }

  private static String invalid(String text) {
    ParseResult<DkimKeyRecord> parse = DkimKeyRecord.parse(text);
    assertThat(parse).isInstanceOf(ParseResult.Invalid.class);
    return parse.problem().orElseThrow();
  }

  @Test
  void parse_rsaDefaults() {
    DkimKeyRecord key = valid("p=" + RSA_P);
    assertThat(key.keyType()).isEqualTo("rsa");
    assertThat(key.keyBits()).isEqualTo(1024);
    assertThat(key.allowsEmail()).isTrue();
    assertThat(key.allowsHash("sha256")).isTrue();
    assertThat(key.testing()).isFalse();
    assertThat(key.revoked()).isFalse();
  }

  @Test
  void parse_flagsServicesHashes() {
    DkimKeyRecord key = valid("v=DKIM1; h=sha1:sha256; s=email; t=y:s; n=note; p=" + RSA_P);
    assertThat(key.testing()).isTrue();
    assertThat(key.strict()).isTrue();
    assertThat(key.hashAlgorithms()).containsExactly("sha1", "sha256");
    assertThat(key.allowsEmail()).isTrue();
    assertThat(key.notes()).isEqualTo("note");
    assertThat(valid("s=tlsrpt; p=" + RSA_P).allowsEmail()).isFalse();
    assertThat(valid("h=sha1; p=" + RSA_P).allowsHash("sha256")).isFalse();
  }

  @Test
  void parse_emptyP_isRevoked() {
    DkimKeyRecord key = valid("v=DKIM1; p=");
    assertThat(key.revoked()).isTrue();
    assertThat(key.keyBits()).isZero();
  }

  @Test
  void parse_invalidRecords_sayWhy() {
    assertThat(invalid("v=DKIM1; k=rsa")).contains("no p=");
    assertThat(invalid("v=DKIM2; p=" + RSA_P)).contains("not DKIM1");
    assertThat(invalid("k=rsa; v=DKIM1; p=" + RSA_P)).contains("not the first tag");
    assertThat(invalid("k=dsa; p=" + RSA_P)).contains("unknown key type");
    assertThat(invalid("p=!!!")).contains("base64");
    assertThat(invalid("p=" + RSA_P.substring(0, 100))).contains("not a valid RSA public key");
    assertThat(invalid("k=ed25519; p=" + RSA_P)).contains("not 32");
    assertThat(invalid("p=a; p=b")).contains("duplicate");
  }

  @Test
  void parse_pkcs1RsaPublicKey_accepted() throws Exception {
    byte[] spki = java.util.Base64.getDecoder().decode(RSA_P);
    byte[] pkcs1 =
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(spki)
            .parsePublicKey()
            .getEncoded();
    DkimKeyRecord key = valid("p=" + java.util.Base64.getEncoder().encodeToString(pkcs1));
    assertThat(key.keyBits()).isEqualTo(1024);
  }

  @Test
  void parse_ed25519() {
    DkimKeyRecord key = valid("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    assertThat(key.keyType()).isEqualTo("ed25519");
    assertThat(key.keyBits()).isEqualTo(256);
    assertThat(key.publicKeyData()).hasSize(32);
  }
}
