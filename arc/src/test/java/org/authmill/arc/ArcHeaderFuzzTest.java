package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The ARC header parsers (RFC 8617 §4.1) on any field value: a parsed field or an {@link
 * ArcHeaderException} with a reason, never another exception; a parsed field's values are within
 * their ranges. And the whole verification on any header section: an outcome with a reason, never
 * an exception.
 */
class ArcHeaderFuzzTest {
  private static byte[] field(String name, byte[] value) {
    byte[] head = (name + ":").getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[head.length + value.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(value, 0, out, head.length, value.length);
    return out;
  }

  @FuzzTest(maxDuration = "30s")
  void sealParse_anyValue_fieldOrReason(byte[] value) {
    try {
      ArcSealField seal = ArcSealField.parse(field("ARC-Seal", value));
      assertThat(seal.instance()).isPositive();
      assertThat(seal.signature()).isNotEmpty();
      assertThat(seal.domain()).isNotEmpty().isLowerCase();
    } catch (ArcHeaderException e) {
      assertThat(e.getMessage()).startsWith("ARC-Seal");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void signatureParse_anyValue_fieldOrReason(byte[] value) {
    try {
      ArcSignatureField ams = ArcSignatureField.parse(field("ARC-Message-Signature", value));
      assertThat(ams.instance()).isPositive();
      assertThat(ams.bodyHash()).isNotEmpty();
      assertThat(ams.signedHeaders()).doesNotContain("arc-seal");
    } catch (ArcHeaderException e) {
      assertThat(e.getMessage()).startsWith("ARC-Message-Signature");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void resultsParse_anyValue_fieldOrReason(byte[] value) {
    try {
      ArcResultsField aar = ArcResultsField.parse(field("ARC-Authentication-Results", value));
      assertThat(aar.instance()).isPositive();
      assertThat(aar.payload()).doesNotContain("\r\n");
    } catch (ArcHeaderException e) {
      assertThat(e.getMessage()).startsWith("ARC-Authentication-Results");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void verify_anyHeaderSection_outcomeWithReason(byte[] headers) throws Exception {
    ArcVerifyStream stream = ArcTesting.VERIFIER.newStream();
    String text = new String(headers, StandardCharsets.ISO_8859_1);
    for (String line : text.split("\n")) {
      stream.header(line.getBytes(StandardCharsets.ISO_8859_1));
    }
    stream.body("body\r\n".getBytes(StandardCharsets.US_ASCII));
    ArcOutcome outcome = stream.finish().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(outcome.reason()).isNotBlank();
    assertThat(outcome.instances()).isBetween(0, 1000);
  }
}
