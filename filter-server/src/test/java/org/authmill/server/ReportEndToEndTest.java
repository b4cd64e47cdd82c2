package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.report.AggregateReport;
import org.authmill.report.CountedRow;
import org.authmill.report.ReportXml;
import org.authmill.testkit.Peers;
import org.authmill.testkit.PostgresServer;
import org.authmill.testkit.SmtpSink;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DMARC aggregate reporting end to end with real parts on loopback: PostgreSQL shared by three
 * filter instances, each fed by the project's MilterClient in the shape Postfix uses, and smtp-sink
 * receiving the reports. After the one-minute period ends, exactly one report per policy domain
 * arrives; its counts sum to the messages sent, the rows of the three instances are merged, the XML
 * is valid against RFC 9990's schema and parses back to those rows.
 */
class ReportEndToEndTest {
  private static final String ZONE =
      "_dmarc.a.example. 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@a.example\"\n"
          + "a.example. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"\n"
          + "_dmarc.b.example. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:rua@b.example\"\n"
          + "b.example. 300 IN TXT \"v=spf1 ip4:192.0.2.20 -all\"\n";

  @TempDir Path dir;
  private PostgresServer postgres;
  private SmtpSink sink;
  private final List<FilterHarness> filters = new ArrayList<>();

  @BeforeEach
  void start() {
    postgres = PostgresServer.start();
    sink = SmtpSink.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (FilterHarness f : filters) {
      f.close();
    }
    if (sink != null) {
      sink.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private String yaml(String store, Path zone) {
    return "authserv-id: mx.test.local\n"
        + "dns:\n  zone-file: "
        + zone
        + "\n"
        + "report:\n"
        + "  org: Receiver Org\n"
        + "  email: dmarc-reports@receiver.example\n"
        + store
        + "  flush-interval: 200ms\n"
        + "  period: 1m\n"
        + "  send-interval: 1s\n"
        + "  send-delay: 0s\n"
        + "  relay: 127.0.0.1:"
        + sink.port()
        + "\n";
  }

  private static byte[] message(String from, int n) {
    return ("From: <user@"
            + from
            + ">\r\nTo: <bob@receiver.example>\r\nSubject: m"
            + n
            + "\r\nMessage-ID: <"
            + n
            + "@"
            + from
            + ">\r\n\r\nHello.\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Waits until at least {@code seconds} are left in the current minute. */
  private static void awaitFreshMinute(int seconds) throws InterruptedException {
    long now = Instant.now().getEpochSecond();
    long left = 60 - now % 60;
    if (left < seconds) {
      Thread.sleep(left * 1000 + 200);
    }
  }

  private int send(FilterHarness f, String ip, String domain, int n) throws Exception {
    MilterResult r =
        f.send(
            ip,
            "mta." + domain,
            MilterTransaction.of(
                "bounce@" + domain, List.of("bob@receiver.example"), message(domain, n), "Q" + n));
    FilterHarness.assertSafe(r);
    return 1;
  }

  @Test
  void threeInstancesOnPostgres_sendOneReportPerDomainWithMergedRows() throws Exception {
    Path zone = Files.writeString(dir.resolve("report.zone"), ZONE);
    String store = "  store: " + postgres.createDatabase() + "\n";
    for (int i = 0; i < 3; i++) {
      filters.add(FilterHarness.start(yaml(store, zone)));
    }
    awaitFreshMinute(40);
    int n = 0;
    for (FilterHarness f : filters) {
      for (int i = 0; i < 4; i++) {
        n += send(f, "192.0.2.10", "a.example", n);
      }
      for (int i = 0; i < 2; i++) {
        n += send(f, "198.51.100.5", "a.example", n);
      }
      for (int i = 0; i < 3; i++) {
        n += send(f, "192.0.2.20", "b.example", n);
      }
    }
    List<Path> files = sink.awaitMessages(2, Duration.ofSeconds(150));
    Thread.sleep(3000);
    assertThat(sink.messages()).as("exactly one report per policy domain").hasSize(2);
    Map<String, AggregateReport> reports = new HashMap<>();
    for (Path f : files) {
      byte[] xml = attachment(f);
      Path x = dir.resolve(f.getFileName() + ".xml");
      Files.write(x, xml);
      xmllint(x);
      AggregateReport r = ReportXml.parse(xml);
      reports.put(r.published().domain(), r);
    }
    AggregateReport a = reports.get("a.example");
    AggregateReport b = reports.get("b.example");
    assertThat(a.messageCount()).isEqualTo(18);
    assertThat(b.messageCount()).isEqualTo(9);
    assertThat(a.records()).extracting(CountedRow::count).containsExactlyInAnyOrder(12L, 6L);
    assertThat(b.records()).extracting(CountedRow::count).containsExactly(9L);
    CountedRow fail =
        a.records().stream()
            .filter(r -> r.row().sourceIp().equals("198.51.100.5"))
            .findFirst()
            .orElseThrow();
    assertThat(fail.row().evaluated().disposition()).isEqualTo("reject");
    assertThat(fail.row().spf().orElseThrow().result()).isEqualTo("fail");
    assertThat(a.published().p()).isEqualTo("reject");
    assertThat(b.records().get(0).row().evaluated().disposition()).isEqualTo("none");
  }

  @Test
  void oneInstanceEmbeddedStore_withOnlyTheOrgName() throws Exception {
    Path zone = Files.writeString(dir.resolve("report.zone"), ZONE);
    String yaml =
        "authserv-id: mx.test.local\ndns:\n  zone-file: "
            + zone
            + "\n"
            + "report:\n  org: Receiver Org\n  state-dir: "
            + dir.resolve("state")
            + "\n"
            + "  period: 1m\n  send-interval: 1s\n  send-delay: 0s\n  flush-interval: 200ms\n"
            + "  relay: 127.0.0.1:"
            + sink.port()
            + "\n";
    FilterHarness f = FilterHarness.start(yaml);
    filters.add(f);
    awaitFreshMinute(30);
    for (int i = 0; i < 5; i++) {
      send(f, "192.0.2.20", "b.example", i);
    }
    List<Path> files = sink.awaitMessages(1, Duration.ofSeconds(150));
    Thread.sleep(2000);
    assertThat(sink.messages()).hasSize(1);
    AggregateReport r = ReportXml.parse(attachment(files.get(0)));
    assertThat(r.messageCount()).isEqualTo(5);
    assertThat(r.metadata().orgName()).isEqualTo("Receiver Org");
    assertThat(Files.exists(dir.resolve("state/authmill.db"))).isTrue();
  }

  @Test
  void postgresStoppedWhileMailFlows_mailKeepsFlowingAndCountsArriveWhenItIsBack()
      throws Exception {
    Path zone = Files.writeString(dir.resolve("report.zone"), ZONE);
    String url = postgres.createDatabase();
    String yaml =
        "authserv-id: mx.test.local\ndns:\n  zone-file: "
            + zone
            + "\n"
            + "report:\n  org: Receiver Org\n  store: "
            + url
            + "\n"
            + "  send: false\n  flush-interval: 200ms\n";
    FilterHarness f = FilterHarness.start(yaml);
    filters.add(f);
    for (int i = 0; i < 5; i++) {
      MilterResult r =
          f.send(
              "192.0.2.20",
              "mta.b.example",
              MilterTransaction.of(
                  "bounce@b.example",
                  List.of("bob@receiver.example"),
                  message("b.example", i),
                  "Q" + i));
      assertThat(r.delivered()).isTrue();
    }
    postgres.stop();
    long start = System.nanoTime();
    for (int i = 5; i < 12; i++) {
      MilterResult r =
          f.send(
              "192.0.2.20",
              "mta.b.example",
              MilterTransaction.of(
                  "bounce@b.example",
                  List.of("bob@receiver.example"),
                  message("b.example", i),
                  "Q" + i));
      assertThat(r.delivered()).as("mail flows while the store is down").isTrue();
      assertThat(FilterHarness.added(r, "Authentication-Results")).contains("dmarc=pass");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    Thread.sleep(1500);
    assertThat(f.server().registry().get("authmill.report.flush.failures").counter().count())
        .isGreaterThan(0);
    postgres.startAgain();
    try (org.authmill.store.Store store =
        org.authmill.store.Store.builder(org.authmill.store.StoreLocation.url(url)).build()) {
      org.authmill.report.ReportReader reader = new org.authmill.report.ReportReader(store);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long total = 0;
      while (System.nanoTime() < deadline) {
        total =
            reader.rows(java.util.Optional.empty(), 0, Long.MAX_VALUE).stream()
                .mapToLong(org.authmill.report.StoredRow::count)
                .sum();
        if (total == 12) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(total).isEqualTo(12);
    }
    assertThat(f.server().registry().get("authmill.report.rows.dropped").counter().count())
        .isZero();
  }

  @Test
  void externalRua_onlyTheDestinationAuthorizedByReportDmarcGetsItsReport() throws Exception {
    Path zone =
        Files.writeString(
            dir.resolve("external.zone"),
            "_dmarc.c.example. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:rua@vendor.example\"\n"
                + "c.example. 300 IN TXT \"v=spf1 ip4:192.0.2.30 -all\"\n"
                + "c.example._report._dmarc.vendor.example. 300 IN TXT \"v=DMARC1;\"\n"
                + "_dmarc.d.example. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:rua@vendor.example\"\n"
                + "d.example. 300 IN TXT \"v=spf1 ip4:192.0.2.40 -all\"\n");
    FilterHarness f =
        FilterHarness.start(yaml("  state-dir: " + dir.resolve("state") + "\n", zone));
    filters.add(f);
    awaitFreshMinute(30);
    for (int i = 0; i < 3; i++) {
      send(f, "192.0.2.30", "c.example", i);
    }
    for (int i = 0; i < 2; i++) {
      send(f, "192.0.2.40", "d.example", 10 + i);
    }
    List<Path> files = sink.awaitMessages(1, Duration.ofSeconds(150));
    Thread.sleep(3000);
    assertThat(sink.messages()).as("only the authorized destination").hasSize(1);
    String text = Files.readString(files.get(0), StandardCharsets.US_ASCII);
    assertThat(text).contains("X-Rcpt-Args: <rua@vendor.example>");
    AggregateReport r = ReportXml.parse(attachment(files.get(0)));
    assertThat(r.published().domain()).isEqualTo("c.example");
    assertThat(r.messageCount()).isEqualTo(3);
    try (org.authmill.store.Store store =
        org.authmill.store.Store.builder(
                org.authmill.store.StoreLocation.embedded(dir.resolve("state")))
            .build()) {
      assertThat(
              new org.authmill.report.ReportReader(store)
                  .rows(java.util.Optional.of("d.example"), 0, Long.MAX_VALUE))
          .as("d.example's counts were recorded, only not sent")
          .extracting(org.authmill.report.StoredRow::count)
          .containsExactly(2L);
    }
  }

  @Test
  void relayAnswering4xx_isRetriedLaterAndTheReportSentOnce() throws Exception {
    Path zone = Files.writeString(dir.resolve("report.zone"), ZONE);
    String yaml =
        yaml("  state-dir: " + dir.resolve("state") + "\n", zone)
            + "  retry-backoff: 2s\n  max-attempts: 8\n";
    FilterHarness f = FilterHarness.start(yaml);
    filters.add(f);
    sink.softReject("data");
    awaitFreshMinute(30);
    for (int i = 0; i < 4; i++) {
      send(f, "192.0.2.20", "b.example", i);
    }
    var deferred = f.server().registry().get("authmill.report.deferred").counter();
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    while (deferred.count() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(deferred.count()).as("the 4xx reply defers the report").isGreaterThanOrEqualTo(1);
    assertThat(sink.messages()).isEmpty();
    sink.acceptAll();
    List<Path> files = sink.awaitMessages(1, Duration.ofSeconds(60));
    Thread.sleep(5000);
    assertThat(sink.messages()).as("sent once").hasSize(1);
    assertThat(ReportXml.parse(attachment(files.get(0))).messageCount()).isEqualTo(4);
    assertThat(f.server().registry().get("authmill.report.sent").counter().count()).isEqualTo(1);
    assertThat(f.server().registry().get("authmill.report.failed").counter().count()).isZero();
  }

  @Test
  void postgresDown_heldRowsAreBoundedAndTheRestCountedAsDropped() throws Exception {
    Path zone = Files.writeString(dir.resolve("report.zone"), ZONE);
    String url = postgres.createDatabase();
    String yaml =
        "authserv-id: mx.test.local\ndns:\n  zone-file: "
            + zone
            + "\n"
            + "report:\n  org: Receiver Org\n  store: "
            + url
            + "\n"
            + "  send: false\n  flush-interval: 200ms\n  max-held-rows: 2\n";
    FilterHarness f = FilterHarness.start(yaml);
    filters.add(f);
    int sent = 0;
    assertThat(deliver(f, "192.0.2.20", sent++)).isTrue();
    Thread.sleep(1000);
    postgres.stop();
    List<String> ips =
        List.of("192.0.2.20", "192.0.2.20", "198.51.100.1", "198.51.100.2", "198.51.100.3");
    for (String ip : ips) {
      assertThat(deliver(f, ip, sent++)).as("mail flows while the store is down").isTrue();
    }
    Thread.sleep(1000);
    var registry = f.server().registry();
    double dropped = registry.get("authmill.report.rows.dropped").counter().count();
    assertThat(dropped).as("rows beyond max-held-rows").isGreaterThanOrEqualTo(1);
    assertThat(registry.get("authmill.report.rows.held").gauge().value()).isLessThanOrEqualTo(2);
    postgres.startAgain();
    try (org.authmill.store.Store store =
        org.authmill.store.Store.builder(org.authmill.store.StoreLocation.url(url)).build()) {
      org.authmill.report.ReportReader reader = new org.authmill.report.ReportReader(store);
      long expected = 0;
      long total = 0;
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < end) {
        expected = sent - (long) registry.get("authmill.report.rows.dropped").counter().count();
        total =
            reader.rows(java.util.Optional.empty(), 0, Long.MAX_VALUE).stream()
                .mapToLong(org.authmill.report.StoredRow::count)
                .sum();
        if (total == expected) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(total).as("every message not counted as dropped is written").isEqualTo(expected);
      assertThat(total).isLessThan(sent);
    }
  }

  private static boolean deliver(FilterHarness f, String ip, int n) throws Exception {
    MilterResult r =
        f.send(
            ip,
            "mta.b.example",
            MilterTransaction.of(
                "bounce@b.example",
                List.of("bob@receiver.example"),
                message("b.example", n),
                "Q" + n));
    return r.delivered();
  }

  static byte[] attachment(Path file) throws Exception {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int start = text.indexOf("filename=\"");
    int body = text.indexOf("\r\n\r\n", start);
    if (body < 0) {
      body = text.indexOf("\n\n", start);
    }
    int end = text.indexOf("--", body);
    byte[] gz = java.util.Base64.getMimeDecoder().decode(text.substring(body, end).strip());
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  static void xmllint(Path xml) throws Exception {
    Path xmllint = Peers.command("xmllint", "libxml2-utils");
    Process p =
        new ProcessBuilder(
                xmllint.toString(),
                "--noout",
                "--schema",
                TestPaths.suite("dmarc/rfc9990/dmarc-xml-0.2.xsd").toString(),
                xml.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
