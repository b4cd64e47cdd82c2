package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.authmill.dns.ParseResult;
import org.junit.jupiter.api.Test;

class DkimPrimitivesTest {
  @Test
  void tags_list_inOrderWithValuesTrimmed() {
    assertThat(DkimPrimitives.tags(" i=1; a = rsa-sha256 ;\r\n\tcv=none;"))
        .containsExactly(
            java.util.Map.entry("i", "1"),
            java.util.Map.entry("a", "rsa-sha256"),
            java.util.Map.entry("cv", "none"));
  }

  @Test
  void tags_duplicate_isRefusedWithTheTagNamed() {
    assertThatThrownBy(() -> DkimPrimitives.tags("b=AA; b=BB"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate tag b=");
  }

  @Test
  void base64_strict_refusesMisplacedPadding() {
    assertThat(DkimPrimitives.base64(" AA\r\n BB ")).containsExactly(0x00, 0x00, 0x41);
    assertThat(DkimPrimitives.base64("A=AA")).isNull();
  }

  @Test
  void hashHeader_relaxed_isTheCanonicalForm() throws Exception {
    MessageDigest digest = DkimPrimitives.sha256();
    DkimPrimitives.hashHeader(
        digest,
        Canonicalization.RELAXED,
        "Subject :  Hello\r\n\t World ".getBytes(StandardCharsets.US_ASCII),
        true);
    byte[] expected =
        MessageDigest.getInstance("SHA-256")
            .digest("subject:Hello World".getBytes(StandardCharsets.US_ASCII));
    assertThat(digest.digest()).isEqualTo(expected);
  }

  @Test
  void withoutSignatureValue_removesOnlyTheBValue() {
    byte[] field = "ARC-Seal: a=x; b=AB\r\n CD; bh=EF".getBytes(StandardCharsets.US_ASCII);
    assertThat(new String(DkimPrimitives.withoutSignatureValue(field), StandardCharsets.US_ASCII))
        .isEqualTo("ARC-Seal: a=x; b=; bh=EF");
  }

  @Test
  void signAndVerify_rsaAndEd25519_roundTripAndRejectOtherHash() throws Exception {
    for (DkimPrivateKey key :
        new DkimPrivateKey[] {DkimPrivateKey.generateRsa(1024), DkimPrivateKey.generateEd25519()}) {
      DkimKeyRecord record =
          ((ParseResult.Parsed<DkimKeyRecord>) DkimKeyRecord.parse(key.keyRecord())).parsed();
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3});
      byte[] signature = DkimPrimitives.sign(key, hash);
      assertThat(DkimPrimitives.verify(record, key.algorithm(), hash, signature)).isTrue();
      hash[0] ^= 1;
      assertThat(DkimPrimitives.verify(record, key.algorithm(), hash, signature)).isFalse();
    }
  }

  @Test
  void bodyHash_relaxedInChunks_equalsTheRfcEmptyBodyHash() {
    DkimPrimitives.BodyHash body = DkimPrimitives.bodyHash(Canonicalization.RELAXED, -1);
    body.update(new byte[] {'\r', '\n'}, 0, 2);
    body.update(java.nio.ByteBuffer.wrap(new byte[] {'\r', '\n'}));
    // RFC 6376 §3.4.4: an empty body (only empty lines) hashes as the empty string
    assertThat(Base64.getEncoder().encodeToString(body.finish()))
        .isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    assertThat(body.length()).isZero();
  }
}
