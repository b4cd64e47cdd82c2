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

  /**
   * The sealer on any header section (hostile chains, Authentication-Results of its own authserv-id
   * whose text it copies into the new ARC-Authentication-Results): an outcome with a reason, never
   * an exception, and a new set whose three fields parse back.
   */
  @FuzzTest(maxDuration = "30s")
  void seal_anyHeaderSection_setThatParsesOrReason(byte[] headers) throws Exception {
    ArcSealStream stream = ArcTesting.sealer("list.example", true).newStream();
    String text = new String(headers, StandardCharsets.ISO_8859_1);
    for (String line : text.split("\n")) {
      stream.header(line.getBytes(StandardCharsets.ISO_8859_1));
    }
    stream.body("body\r\n".getBytes(StandardCharsets.US_ASCII));
    ArcSealOutcome outcome = stream.finish().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(outcome.reason()).isNotBlank();
    if (outcome.set().isPresent()) {
      ArcSet set = outcome.set().get();
      assertThat(set.instance()).isBetween(1, 50);
      assertThat(ArcSealField.parse(bytes(set.seal())).instance()).isEqualTo(set.instance());
      assertThat(ArcSignatureField.parse(bytes(set.messageSignature())).instance())
          .isEqualTo(set.instance());
      ArcResultsField aar = ArcResultsField.parse(bytes(set.authenticationResults()));
      assertThat(aar.instance()).isEqualTo(set.instance());
      assertThat(aar.results()).as(set.authenticationResults()).isPresent();
    }
  }

  /**
   * The override on any ARC-Authentication-Results of a trusted sealer in a passing chain: never an
   * exception; an override only with evidence for the author domain; the receiver's field, with the
   * arc result and any override, parses back.
   */
  @FuzzTest(maxDuration = "30s")
  void policy_anyTrustedResults_overrideOnlyForTheAuthorDomain(byte[] value) {
    String payload = new String(value, StandardCharsets.ISO_8859_1);
    java.util.Optional<org.authmill.auth.results.AuthenticationResults> parsed =
        org.authmill.auth.results.AuthenticationResults.parse(payload).value();
    ArcHop hop =
        new ArcHop(1, "list.example", "rsa", ArcCv.NONE, "list.example", "rsa", payload, parsed);
    ArcOutcome chain = new ArcOutcome(ArcCv.PASS, "test", 1, 1, java.util.List.of(hop));
    org.authmill.auth.results.AuthenticationResults receiver =
        org.authmill.auth.results.AuthenticationResults.parse(
                "mx.example; spf=fail smtp.mailfrom=list.example; dmarc=fail"
                    + " header.from=author.example")
            .value()
            .orElseThrow();
    ArcPolicy.Applied applied =
        new ArcPolicy(java.util.List.of(TrustedSealer.parse("list.example")))
            .apply(
                receiver,
                true,
                java.util.Optional.of("author.example"),
                chain,
                java.util.Optional.of("192.0.2.1"));
    applied.override().ifPresent(o -> assertThat(o.evidence()).endsWith("=author.example"));
    String written = applied.results().toFieldValue();
    assertThat(org.authmill.auth.results.AuthenticationResults.parse(written).value())
        .as(written)
        .isPresent();
  }

  private static byte[] bytes(String field) {
    return field.getBytes(StandardCharsets.UTF_8);
  }
}
