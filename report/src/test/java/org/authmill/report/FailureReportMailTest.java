package org.authmill.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.authmill.feedback.FailureReport;
import org.authmill.feedback.ReportMessageReader;
import org.junit.jupiter.api.Test;

class FailureReportMailTest {
  private static final ReporterIdentity ME =
      ReporterIdentity.of("Receiver Org", "dmarc-reports@receiver.example");
  private static final Instant ARRIVED = Instant.parse("2026-12-03T10:15:30Z");

  static FailureEvent event(List<FailureKind> kinds) {
    return new FailureEvent(
        ARRIVED,
        "198.51.100.7",
        "example.com",
        "example.com",
        "example.com",
        Optional.of("bounce@example.com"),
        Optional.of("4AE9D403CC"),
        kinds,
        "dkim, spf",
        Optional.of(new FailureEvent.Signature("example.com", "@example.com", "sel")),
        Optional.of("example.com"),
        "mx.receiver.example; spf=fail smtp.mailfrom=bounce@example.com; dkim=fail"
            + " header.d=example.com; dmarc=fail header.from=example.com",
        "reject",
        List.of("mailto:ruf@example.com"),
        List.of(
            new FailureEvent.HeaderField("Received", " from mta.example.com\n\tby mx; now"),
            new FailureEvent.HeaderField("From", " Alice <alice@example.com>"),
            new FailureEvent.HeaderField("To", " bob@receiver.example"),
            new FailureEvent.HeaderField("Subject", " Invoice for alice@example.com"),
            new FailureEvent.HeaderField("Message-ID", " <m1.alice@example.com>"),
            new FailureEvent.HeaderField(
                "List-Unsubscribe", " <https://example.com/u?alice>, <http://x.example/>")));
  }

  private static String build(FailureKind kind, Redactor redactor, Optional<String> spf) {
    byte[] bytes =
        FailureReportMail.build(
            ME,
            event(List.of(kind)),
            kind,
            "ruf@example.com",
            ARRIVED.plusSeconds(5),
            "abc.failure@receiver.example",
            redactor,
            spf,
            Optional.empty());
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** The block of one MIME part (its header and body) whose Content-Type starts with type. */
  private static String part(String message, String type) {
    String boundary = message.replaceAll("(?s).*boundary=\"([^\"]+)\".*", "$1");
    for (String p : message.split("--" + java.util.regex.Pattern.quote(boundary))) {
      if (p.stripLeading().toLowerCase().startsWith("content-type: " + type)) {
        return p;
      }
    }
    throw new AssertionError("no " + type + " part in\n" + message);
  }

  @Test
  void build_isAnArfMultipartReportWithTheRfc9991Fields() throws Exception {
    String m = build(FailureKind.DMARC, Redactor.NONE, Optional.of("v=spf1 ip4:192.0.2.1 -all"));
    assertThat(m)
        .contains("Content-Type: multipart/report; report-type=feedback-report;")
        .contains("From: dmarc-reports@receiver.example\r\n")
        .contains("To: ruf@example.com\r\n")
        .contains("Message-ID: <abc.failure@receiver.example>\r\n")
        .contains("Auto-Submitted: auto-generated\r\n")
        .doesNotContain("\n\n")
        .doesNotContainPattern("[^\r]\n");
    String arf = part(m, "message/feedback-report");
    assertThat(arf)
        .contains("\r\nFeedback-Type: auth-failure\r\n")
        .contains("\r\nVersion: 1\r\n")
        .containsPattern("\r\nUser-Agent: authmill/\\S+\r\n")
        .contains("\r\nAuth-Failure: dmarc\r\n")
        .contains("\r\nIdentity-Alignment: dkim, spf\r\n")
        .contains("\r\nSource-IP: 198.51.100.7\r\n")
        .contains("\r\nReported-Domain: example.com\r\n")
        .contains("\r\nOriginal-Mail-From: bounce@example.com\r\n")
        .contains("\r\nOriginal-Envelope-Id: 4AE9D403CC\r\n")
        .contains("\r\nArrival-Date: Thu, 3 Dec 2026 10:15:30 GMT\r\n")
        .contains("\r\nDelivery-Result: reject\r\n")
        .contains("\r\nDKIM-Domain: example.com\r\n")
        .contains("\r\nDKIM-Identity: @example.com\r\n")
        .contains("\r\nDKIM-Selector: sel\r\n")
        .contains("\r\nSPF-DNS: txt : example.com : v=spf1 ip4:192.0.2.1 -all\r\n")
        .contains("\r\nAuthentication-Results: mx.receiver.example; spf=fail");
    String original = part(m, "text/rfc822-headers");
    assertThat(original)
        .contains("Received: from mta.example.com\r\n\tby mx; now\r\n")
        .contains("From: Alice <alice@example.com>\r\n")
        .contains("Subject: Invoice for alice@example.com\r\n")
        .contains("Message-ID: <m1.alice@example.com>\r\n");
    assertThat(m).doesNotContain("Hello").as("no body of the original message");
  }

  @Test
  void build_readsBackWithAnArfParser() throws Exception {
    String m = build(FailureKind.DMARC, Redactor.NONE, Optional.empty());
    FailureReport r =
        ReportMessageReader.readFailure(
            new ByteArrayInputStream(m.getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(r.arf()).isTrue();
    assertThat(r.feedbackType()).isEqualTo("auth-failure");
    assertThat(r.authFailure()).isEqualTo("dmarc");
    assertThat(r.identityAlignment()).isEqualTo("dkim, spf");
    assertThat(r.sourceIp()).isEqualTo("198.51.100.7");
    assertThat(r.reportedDomain()).isEqualTo("example.com");
    assertThat(r.deliveryResult()).isEqualTo("reject");
    assertThat(r.dkimDomain()).isEqualTo("example.com");
    assertThat(r.dkimSelector()).isEqualTo("sel");
    assertThat(r.originalSubject()).contains("Invoice");
    assertThat(r.originalMessageId()).contains("m1.alice@example.com");
    assertThat(r.reportMessageId()).contains("abc.failure@receiver.example");
  }

  @Test
  void build_redacted_localPartsBecomeTokensAndLinksAreDefanged() {
    Redactor redactor = Redactor.withKey(new byte[32]);
    String token = redactor.token("alice");
    assertThat(token).matches("[0-9a-f]{8}").isNotEqualTo("alice");
    String original =
        part(build(FailureKind.DMARC, redactor, Optional.empty()), "text/rfc822-headers");
    assertThat(original)
        .doesNotContainPattern("[<\\s]alice@")
        .doesNotContain("bob@")
        .contains("From: Alice <" + token + "@example.com>\r\n")
        .contains("Subject: Invoice for " + token + "@example.com\r\n")
        .contains("To: " + redactor.token("bob") + "@receiver.example\r\n")
        .contains("Message-ID: <m1.alice@example.com>\r\n")
        .contains("<hxxps://example.com/u?alice>, <hxxp://x.example/>")
        .doesNotContain("http://")
        .doesNotContain("https://");
    String arf =
        part(build(FailureKind.DMARC, redactor, Optional.empty()), "message/feedback-report");
    assertThat(arf)
        .contains("Original-Mail-From: " + redactor.token("bounce") + "@example.com\r\n")
        .doesNotContain("bounce@");
  }

  @Test
  void build_spfKind_saysSpfAndNamesNoSignature() {
    String arf =
        part(
            build(FailureKind.SPF, Redactor.NONE, Optional.of("v=spf1 -all")),
            "message/feedback-report");
    assertThat(arf)
        .contains("Auth-Failure: spf\r\n")
        .contains("SPF-DNS: txt : example.com : v=spf1 -all\r\n")
        .doesNotContain("DKIM-Domain");
  }

  @Test
  void build_dkimKind_isSignatureWithoutSpfDns() {
    String arf =
        part(
            build(FailureKind.DKIM, Redactor.NONE, Optional.of("v=spf1 -all")),
            "message/feedback-report");
    assertThat(arf)
        .contains("Auth-Failure: signature\r\n")
        .contains("DKIM-Domain: example.com\r\n")
        .doesNotContain("SPF-DNS");
  }
}
