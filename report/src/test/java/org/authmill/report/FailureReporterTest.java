package org.authmill.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.ZoneResolver;
import org.authmill.feedback.FailureReport;
import org.authmill.feedback.ReportMessageReader;
import org.authmill.testkit.SmtpSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FailureReporterTest {
  private static final ReporterIdentity ME =
      ReporterIdentity.of("Receiver Org", "dmarc-reports@receiver.example");
  private static final DnsResolver DNS =
      ZoneResolver.fromText(
          "example.com._report._dmarc.vendor.example. 300 IN TXT \"v=DMARC1\"\n"
              + "example.org._report._dmarc.vendor.example. 300 IN TXT \"v=DMARC1\"\n"
              + "example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n");

  private SmtpSink sink;
  private MutableClock clock;
  private SimpleMeterRegistry registry;

  @BeforeEach
  void start() {
    sink = SmtpSink.start();
    clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  private FailureReporter reporter(int perDomain, int perDestination) {
    return FailureReporter.builder(
            ME,
            DNS,
            new FailureSettings(true, perDomain, perDestination, Duration.ofHours(1), true, 100))
        .relay(new InetSocketAddress("127.0.0.1", sink.port()))
        .smtpTimeout(Duration.ofSeconds(10))
        .clock(clock)
        .registry(registry)
        .build();
  }

  private static FailureEvent event(String domain, String... ruf) {
    FailureEvent base = FailureReportMailTest.event(List.of(FailureKind.DMARC));
    return new FailureEvent(
        base.time(),
        base.sourceIp(),
        domain,
        domain,
        domain,
        base.mailFrom(),
        base.queueId(),
        base.kinds(),
        base.identityAlignment(),
        base.dkim(),
        base.spfDomain(),
        base.authenticationResults(),
        base.deliveryResult(),
        List.of(ruf),
        base.headers());
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private List<FailureReport> received() throws Exception {
    List<FailureReport> out = new ArrayList<>();
    for (Path f : sink.messages()) {
      String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
      // smtp-sink puts its envelope lines first; the message starts at the first Received or From.
      try (InputStream in =
          new java.io.ByteArrayInputStream(
              text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))) {
        out.add(ReportMessageReader.readFailure(in));
      }
    }
    return out;
  }

  @Test
  void report_sendsAnArfReportToTheRufOfTheDomain() throws Exception {
    try (FailureReporter r = reporter(10, 10)) {
      r.report(event("example.com", "mailto:ruf@example.com"));
    }
    List<Path> files = sink.awaitMessages(1, Duration.ofSeconds(10));
    assertThat(Files.readString(files.get(0))).contains("X-Rcpt-Args: <ruf@example.com>");
    FailureReport report = received().get(0);
    assertThat(report.authFailure()).isEqualTo("dmarc");
    assertThat(report.reportedDomain()).isEqualTo("example.com");
    assertThat(report.sourceIp()).isEqualTo("198.51.100.7");
    assertThat(report.spfDns()).contains("v=spf1 ip4:192.0.2.1 -all");
    assertThat(counter(ReportMetrics.FAILURE_SENT)).isEqualTo(1);
  }

  @Test
  void report_perDomainRateLimit_dropsTheRestUntilTheNextWindow() throws Exception {
    try (FailureReporter r = reporter(2, 100)) {
      for (int i = 0; i < 3; i++) {
        r.report(event("example.com", "mailto:ruf@example.com"));
      }
      sink.awaitMessages(2, Duration.ofSeconds(10));
      Thread.sleep(500);
      clock.advance(Duration.ofHours(1));
      r.report(event("example.com", "mailto:ruf@example.com"));
    }
    Thread.sleep(300);
    assertThat(sink.messages()).as("two in the first window, one in the next").hasSize(3);
    assertThat(counter(ReportMetrics.FAILURE_DROPPED, "reason", "rate-limit")).isEqualTo(1);
    assertThat(counter(ReportMetrics.FAILURE_SENT)).isEqualTo(3);
  }

  @Test
  void report_perDestinationRateLimit_countsAcrossDomains() throws Exception {
    try (FailureReporter r = reporter(100, 1)) {
      r.report(event("example.com", "mailto:ruf@vendor.example"));
      r.report(event("example.org", "mailto:ruf@vendor.example"));
    }
    Thread.sleep(300);
    assertThat(sink.messages()).hasSize(1);
    assertThat(counter(ReportMetrics.FAILURE_DROPPED, "reason", "rate-limit")).isEqualTo(1);
  }

  @Test
  void report_externalRuf_onlyWithReportDmarcAuthorization() throws Exception {
    try (FailureReporter r = reporter(10, 10)) {
      r.report(event("example.com", "mailto:ruf@vendor.example", "mailto:ruf@other.example"));
    }
    List<Path> files = sink.awaitMessages(1, Duration.ofSeconds(10));
    Thread.sleep(300);
    assertThat(sink.messages()).hasSize(1);
    assertThat(Files.readString(files.get(0))).contains("X-Rcpt-Args: <ruf@vendor.example>");
    assertThat(counter(ReportMetrics.FAILURE_UNAUTHORIZED)).isEqualTo(1);
  }

  @Test
  void report_relayRefusing_countsAFailureAndDoesNotRetry() throws Exception {
    sink.hardReject("rcpt");
    try (FailureReporter r = reporter(10, 10)) {
      r.report(event("example.com", "mailto:ruf@example.com"));
    }
    assertThat(counter(ReportMetrics.FAILURE_FAILED)).isEqualTo(1);
    sink.acceptAll();
    Thread.sleep(300);
    for (Path f : sink.messages()) {
      assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1))
          .as("smtp-sink's record of the refused transaction holds no message")
          .doesNotContain("Feedback-Type");
    }
    assertThat(Optional.of(counter(ReportMetrics.FAILURE_SENT))).contains(0.0);
  }
}
