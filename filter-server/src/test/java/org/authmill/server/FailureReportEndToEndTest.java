package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.authmill.feedback.FailureReport;
import org.authmill.feedback.ReportMessageReader;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.testkit.SmtpSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DMARC failure reports (RFC 9991) through the filter: messages fed by the project's milter client
 * as Postfix does, reports sent through smtp-sink. Each failing message earns one ARF report to the
 * domain's {@code ruf}, up to the per-domain rate limit; passing messages, report messages and an
 * unauthorized external {@code ruf} get none; the reported header is redacted.
 */
class FailureReportEndToEndTest {
  private static final String ZONE =
      "_dmarc.a.example. 300 IN TXT \"v=DMARC1; p=reject; ruf=mailto:ruf@a.example\"\n"
          + "a.example. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"\n"
          + "_dmarc.c.example. 300 IN TXT \"v=DMARC1; p=none; ruf=mailto:ruf@vendor.example\"\n"
          + "c.example. 300 IN TXT \"v=spf1 ip4:192.0.2.30 -all\"\n"
          + "_dmarc.d.example. 300 IN TXT \"v=DMARC1; p=none; ruf=mailto:ruf@d.example\"\n"
          + "d.example. 300 IN TXT \"v=spf1 ip4:192.0.2.40 -all\"\n";

  @TempDir Path dir;
  private SmtpSink sink;
  private FilterHarness filter;

  @BeforeEach
  void start() {
    sink = SmtpSink.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (filter != null) {
      filter.close();
    }
    sink.close();
  }

  private static byte[] message(String from, int n, String extra) {
    return ("From: Alice <alice@"
            + from
            + ">\r\nTo: <bob@receiver.example>\r\nSubject: m"
            + n
            + "\r\nMessage-ID: <"
            + n
            + "@"
            + from
            + ">\r\n"
            + extra
            + "\r\nHello, see https://"
            + from
            + "/x\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private MilterResult send(String ip, String domain, int n, String extra) throws Exception {
    MilterResult r =
        filter.send(
            ip,
            "mta." + domain,
            MilterTransaction.of(
                "bounce@" + domain,
                List.of("bob@receiver.example"),
                message(domain, n, extra),
                "Q" + n));
    FilterHarness.assertSafe(r);
    return r;
  }

  @Test
  void failingMessages_earnArfReportsWithinTheLimitsAndOnlyWhereAllowed() throws Exception {
    Path zone = Files.writeString(dir.resolve("failure.zone"), ZONE);
    filter =
        FilterHarness.start(
            "authserv-id: mx.test.local\ndns:\n  zone-file: "
                + zone
                + "\nreport:\n  org: Receiver Org\n  email: dmarc-reports@receiver.example\n"
                + "  state-dir: "
                + dir.resolve("state")
                + "\n  send: false\n  relay: 127.0.0.1:"
                + sink.port()
                + "\n  failure:\n    enabled: true\n    max-per-domain: 2\n");
    for (int i = 0; i < 3; i++) {
      assertThat(send("198.51.100.5", "a.example", i, "").delivered())
          .as("p=reject: rejected")
          .isFalse();
    }
    assertThat(send("192.0.2.10", "a.example", 10, "").delivered()).as("passes").isTrue();
    send("198.51.100.5", "c.example", 20, "");
    send(
        "198.51.100.5",
        "d.example",
        30,
        "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report;"
            + " boundary=x\r\n");
    send("198.51.100.5", "d.example", 31, "");

    List<Path> files = sink.awaitMessages(3, Duration.ofSeconds(60));
    Thread.sleep(2000);
    assertThat(sink.messages()).as("2 for a.example (rate limit), 1 for d.example").hasSize(3);
    List<FailureReport> reports = new ArrayList<>();
    List<String> recipients = new ArrayList<>();
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      recipients.add(text.replaceAll("(?s).*X-Rcpt-Args: <([^>]+)>.*", "$1"));
      assertThat(text)
          .contains("Content-Type: multipart/report; report-type=feedback-report;")
          .contains("Content-Type: text/rfc822-headers")
          .doesNotContain("bob@receiver.example")
          .doesNotContain("<alice@")
          .doesNotContain("Hello");
      reports.add(ReportMessageReader.readFailure(new ByteArrayInputStream(bytes)));
    }
    assertThat(recipients)
        .containsExactlyInAnyOrder("ruf@a.example", "ruf@a.example", "ruf@d.example");
    for (FailureReport r : reports) {
      assertThat(r.feedbackType()).isEqualTo("auth-failure");
      assertThat(r.authFailure()).isEqualTo("dmarc");
      assertThat(r.sourceIp()).isEqualTo("198.51.100.5");
      assertThat(r.identityAlignment()).isEqualTo("dkim, spf");
      assertThat(r.originalSubject()).isNotEmpty();
    }
    assertThat(reports)
        .extracting(FailureReport::reportedDomain)
        .containsExactlyInAnyOrder("a.example", "a.example", "d.example");
    assertThat(reports)
        .filteredOn(r -> r.reportedDomain().equals("a.example"))
        .extracting(FailureReport::deliveryResult)
        .containsOnly("reject");
    assertThat(reports)
        .filteredOn(r -> r.reportedDomain().equals("d.example"))
        .extracting(FailureReport::originalSubject)
        .containsExactly("m31");
    var registry = filter.server().registry();
    assertThat(
            registry
                .get("authmill.report.failure.dropped")
                .tag("reason", "rate-limit")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("authmill.report.failure.unauthorized").counter().count()).isEqualTo(1);
    assertThat(registry.get("authmill.report.failure.sent").counter().count()).isEqualTo(3);
  }
}
