package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Base64 values whose length is a multiple of three octets have no "=" padding (RFC 2045 §6.8): the
 * signature of a 3072-bit RSA key (384 octets) is one, and must verify.
 */
class UnpaddedBase64Test {
  @Test
  void strictBase64_noPadding_decodes() {
    assertThat(TagList.strictBase64(" AA\r\n BB ")).containsExactly(0x00, 0x00, 0x41);
    assertThat(TagList.strictBase64("A=AA")).isNull();
    assertThat(TagList.strictBase64("AAB")).isNull();
  }

  @Test
  void verify_rsa3072Signature_passes() throws Exception {
    DkimPrivateKey key = DkimPrivateKey.generateRsa(3072);
    DkimSigner signer = DkimSigner.builder().domain("example.com").selector("big").key(key).build();
    byte[] message =
        "From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    List<DkimSignatureField> fields =
        DkimSignStream.sign(List.of(signer), new ByteArrayInputStream(message));
    String b = fields.get(0).value().replaceAll("(?s).*\\bb=", "").replaceAll("\\s", "");
    assertThat(b).doesNotContain("=");
    byte[] signed =
        (fields.get(0).field() + "\r\n" + new String(message, StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);
    DkimVerifier verifier =
        DkimVerifier.builder(
                TestMessages.resolver(
                    Map.of("big._domainkey.example.com", List.of(key.keyRecord()))))
            .build();
    List<DkimOutcome> outcomes =
        verifier.verify(new ByteArrayInputStream(signed)).toCompletableFuture().join();
    assertThat(outcomes.get(0).result()).as(outcomes.get(0).reason()).isEqualTo(DkimResult.PASS);
  }
}
