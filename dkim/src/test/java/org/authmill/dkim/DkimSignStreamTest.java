package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DkimSignStreamTest {
  private static final DkimPrivateKey ED = DkimPrivateKey.generateEd25519();
  private static final byte[] MESSAGE =
      TestMessages.crlf(
          "Received: x\nFrom: a@example.com\nTo: b@example.org\nTo: c@example.org\nSubject: s\n\nbody\n");

  private static DkimSigner.Builder builder() {
    return DkimSigner.builder()
        .domain("example.com")
        .selector("s1")
        .key(ED)
        .clock(Clock.fixed(Instant.ofEpochSecond(1_600_000_000), ZoneOffset.UTC));
  }

  private static String sign(DkimSigner signer) {
    DkimSignStream signing = signer.newStream();
    TestMessages.split(MESSAGE).fields().forEach(signing::header);
    signing.endOfHeaders();
    signing.body(TestMessages.split(MESSAGE).body());
    return signing.finish().get(0).value();
  }

  @Test
  void finish_headerListCountsInstancesAndOversigns() {
    String value =
        sign(
            builder()
                .headers(List.of("From", "To", "Subject", "Cc"))
                .oversign(List.of("From", "Cc"))
                .build());
    String h = value.replaceAll("\\s", "").replaceAll(".*;h=([^;]*);.*", "$1");
    assertThat(h).isEqualTo("From:To:To:Subject:From:Cc");
  }

  @Test
  void finish_tagsAndFolding() {
    String value = sign(builder().bodyLength(true).identity("@example.com").build());
    assertThat(value.replace("\r\n\t", " "))
        .startsWith("v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; i=@example.com;");
    assertThat(value).contains("t=1600000000;").contains("l=6;").doesNotContain("x=");
    for (String line : ("DkimSignature: " + value).split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(80);
    }
    assertThat(value).doesNotContain("Received");
  }

  @Test
  void endOfHeaders_noFrom_refused() {
    DkimSignStream signing = builder().build().newStream();
    signing.header("To: b@example.org".getBytes());
    assertThatThrownBy(signing::endOfHeaders)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no From header field");
  }

  @Test
  void finish_twice_isMisuse() {
    DkimSignStream signing = builder().build().newStream();
    signing.header("From: a@example.com".getBytes());
    signing.finish();
    assertThatThrownBy(signing::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void finish_identityWithSpecials_isDkimQuotedPrintable() {
    // RFC 6376 §3.5 i= is dkim-quoted-printable (§2.11): "=", ";" and spaces must be encoded
    String value = sign(builder().identity("\"bounce=x y\"@example.com").build());
    assertThat(value.replace("\r\n\t", " ")).contains("i=\"bounce=3Dx=20y\"@example.com;");
  }

  @Test
  void finish_dkimSignatureNeverOversigned() {
    // oversigning DKIM-Signature would name the new signature itself, which no verifier hashes
    String value =
        sign(
            builder()
                .headers(List.of("From", "DKIM-Signature"))
                .oversign(List.of("From", "DKIM-Signature"))
                .build());
    String h = value.replaceAll("\\s", "").replaceAll(".*;h=([^;]*);.*", "$1");
    assertThat(h).isEqualTo("From:From");
  }
}
