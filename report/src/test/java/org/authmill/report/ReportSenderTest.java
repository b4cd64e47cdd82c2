package org.authmill.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimResult;
import org.authmill.dkim.DkimSigner;
import org.authmill.dkim.DkimVerifier;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.ZoneResolver;
import org.authmill.store.Dialect;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.authmill.testkit.SmtpSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReportSenderTest {
  private static final Backends BACKENDS = new Backends();
  private static final Instant DAY = Instant.parse("2026-11-30T00:00:00Z");
  private static final Instant NOON = DAY.plus(Duration.ofHours(12));
  private static final Instant NEXT_DAY = DAY.plus(Duration.ofDays(1)).plusSeconds(600);
  private static final ReporterIdentity ME =
      ReporterIdentity.of("Receiver Org", "dmarc-reports@receiver.example");

  @TempDir Path tempDir;
  private SmtpSink sink;
  private MutableClock clock;
  private SimpleMeterRegistry registry;

  static Stream<Dialect> dialects() {
    return Backends.both();
  }

  @BeforeEach
  void startSink() {
    sink = SmtpSink.start();
    clock = new MutableClock(NOON);
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stopSink() {
    sink.close();
  }

  @AfterAll
  static void stopServers() {
    BACKENDS.close();
  }

  private ReportSender.Builder sender(Store store, DnsResolver dns) {
    return ReportSender.builder(store, ME, dns)
        .relay(new InetSocketAddress("127.0.0.1", sink.port()))
        .smtpTimeout(Duration.ofSeconds(10))
        .sendDelay(Duration.ofMinutes(5))
        .retryBackoff(Duration.ofMinutes(10))
        .clock(clock)
        .registry(registry);
  }

  private static DnsResolver noDns() {
    return ZoneResolver.fromText("");
  }

  private static void record(Store store, List<ReportEvent> events) {
    try (ReportRecorder r = ReportRecorder.builder(store).flushInterval(Duration.ZERO).build()) {
      events.forEach(r::record);
    }
  }

  private static List<ReportEvent> traffic(String domain, String rua, int pass, int fail) {
    List<ReportEvent> list = new ArrayList<>();
    for (int i = 0; i < pass; i++) {
      list.add(Events.event(NOON.minusSeconds(i), "192.0.2.1", domain, true, rua));
    }
    for (int i = 0; i < fail; i++) {
      list.add(Events.event(NOON.plusSeconds(i), "198.51.100.7", domain, false, rua));
    }
    return list;
  }

  @Test
  void sendDue_sendsOneValidReportPerDomainOnceThePeriodEnded() throws Exception {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      List<ReportEvent> events =
          new ArrayList<>(traffic("example.com", "mailto:dmarc@example.com", 5, 2));
      events.addAll(traffic("example.org", "mailto:agg@reports.example.org", 1, 0));
      record(store, events);
      ReportSender sender = sender(store, noDns()).build();
      assertThat(sender.sendDue().sent()).isZero();
      clock.set(DAY.plus(Duration.ofDays(1)).plusSeconds(60));
      assertThat(sender.sendDue().sent()).as("within the send delay").isZero();
      clock.set(NEXT_DAY);
      SendSummary summary = sender.sendDue();
      assertThat(summary.sent()).isEqualTo(2);
      assertThat(sender.sendDue().sent()).isZero();
      List<Path> files = sink.awaitMessages(2, Duration.ofSeconds(10));
      assertThat(files).hasSize(2);
      Mails.Saved com = null;
      for (Path f : files) {
        Mails.Saved m = Mails.read(f);
        if (m.text().contains("X-Rcpt-Args: <dmarc@example.com>")) {
          com = m;
        }
        Path xml = tempDir.resolve(f.getFileName() + ".xml");
        Files.write(xml, m.xml());
        XmlLint.assertValid(xml);
      }
      assertThat(com).isNotNull();
      long begin = DAY.getEpochSecond();
      assertThat(com.fileName())
          .isEqualTo("receiver.example!example.com!" + begin + "!" + (begin + 86399) + ".xml.gz");
      assertThat(com.header("Subject"))
          .isEqualTo(
              "Report Domain: example.com Submitter: receiver.example Report-ID: <"
                  + begin
                  + ".example.com@receiver.example>");
      assertThat(com.header("Message-ID"))
          .isEqualTo("<" + begin + ".example.com@receiver.example>");
      assertThat(com.text()).contains("X-Mail-Args: <dmarc-reports@receiver.example>");
      AggregateReport report = com.report();
      assertThat(report.records())
          .containsExactlyInAnyOrder(
              new CountedRow(Events.row("192.0.2.1", "example.com", true), 5),
              new CountedRow(Events.row("198.51.100.7", "example.com", false), 2));
      assertThat(report.metadata().orgName()).isEqualTo("Receiver Org");
      assertThat(report.metadata().generator())
          .hasValueSatisfying(g -> assertThat(g).startsWith("authmill "));
      assertThat(ReportMail.isReportSubject(com.header("Subject"))).isTrue();
      assertThat(registry.counter(ReportMetrics.SENT).count()).isEqualTo(2);
    }
  }

  @Test
  void sendDue_externalDestinationNeedsReportDmarcAuthorization() throws Exception {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      List<ReportEvent> events =
          new ArrayList<>(traffic("example.com", "mailto:rua@vendor.example", 1, 0));
      events.addAll(traffic("example.net", "mailto:rua@vendor.example", 2, 0));
      record(store, events);
      DnsResolver dns =
          ZoneResolver.fromText(
              "example.net._report._dmarc.vendor.example. 300 IN TXT \"v=DMARC1;\"\n"
                  + "example.com._report._dmarc.vendor.example. 300 IN TXT \"v=spf1 -all\"\n");
      clock.set(NEXT_DAY);
      ReportSender sender = sender(store, dns).build();
      assertThat(sender.plan())
          .extracting(p -> p.policyDomain() + " " + p.destinations())
          .anySatisfy(
              s -> assertThat(s).startsWith("example.com [rua@vendor.example: unauthorized"))
          .anySatisfy(
              s -> assertThat(s).isEqualTo("example.net [rua@vendor.example: send (authorized)]"));
      SendSummary summary = sender.sendDue();
      assertThat(summary.sent()).isEqualTo(1);
      assertThat(summary.unauthorized()).isEqualTo(1);
      List<Path> files = sink.awaitMessages(1, Duration.ofSeconds(10));
      assertThat(Mails.read(files.get(0)).report().published().domain()).isEqualTo("example.net");
      clock.advance(Duration.ofDays(1));
      assertThat(sender.sendDue()).isEqualTo(SendSummary.EMPTY);
      assertThat(sink.messages()).hasSize(1);
    }
  }

  @Test
  void sendDue_overrideToAnotherHostSendsNothing() {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      record(store, traffic("example.com", "mailto:rua@vendor.example", 1, 0));
      DnsResolver dns =
          ZoneResolver.fromText(
              "example.com._report._dmarc.vendor.example. 300 IN TXT \"v=DMARC1; rua=mailto:x@victim.example\"\n");
      clock.set(NEXT_DAY);
      SendSummary summary = sender(store, dns).build().sendDue();
      assertThat(summary.unauthorized()).isEqualTo(1);
      assertThat(summary.sent()).isZero();
      assertThat(sink.messages()).isEmpty();
    }
  }

  @Test
  void sendDue_softRejectIsRetriedWithBackoffAndSentOnce() throws Exception {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      record(store, traffic("example.com", "mailto:dmarc@example.com", 3, 0));
      sink.softReject("data");
      clock.set(NEXT_DAY);
      ReportSender sender = sender(store, noDns()).build();
      assertThat(sender.sendDue().deferred()).isEqualTo(1);
      sink.acceptAll();
      clock.advance(Duration.ofMinutes(5));
      assertThat(sender.sendDue()).as("before the back-off").isEqualTo(SendSummary.EMPTY);
      clock.advance(Duration.ofMinutes(6));
      assertThat(sender.sendDue().sent()).isEqualTo(1);
      clock.advance(Duration.ofHours(1));
      assertThat(sender.sendDue()).isEqualTo(SendSummary.EMPTY);
      assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
      assertThat(registry.counter(ReportMetrics.DEFERRED).count()).isEqualTo(1);
      assertThat(registry.counter(ReportMetrics.SENT).count()).isEqualTo(1);
    }
  }

  @Test
  void sendDue_relayDownIsRetriedAndFailsAfterTheLastAttempt() {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      record(store, traffic("example.com", "mailto:dmarc@example.com", 1, 0));
      clock.set(NEXT_DAY);
      ReportSender sender =
          sender(store, noDns())
              .relay(new InetSocketAddress("127.0.0.1", org.authmill.testkit.FreePort.tcpAndUdp()))
              .maxAttempts(3)
              .build();
      assertThat(sender.sendDue().deferred()).isEqualTo(1);
      clock.advance(Duration.ofMinutes(10));
      assertThat(sender.sendDue().deferred()).isEqualTo(1);
      clock.advance(Duration.ofMinutes(20));
      assertThat(sender.sendDue().failed()).isEqualTo(1);
      clock.advance(Duration.ofDays(1));
      assertThat(sender.sendDue()).isEqualTo(SendSummary.EMPTY);
    }
  }

  @Test
  void sendDue_hardRejectsSuppressTheDestinationAfterTheConfiguredCount() {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      List<ReportEvent> events = new ArrayList<>();
      for (int day = 0; day < 3; day++) {
        Instant t = NOON.plus(Duration.ofDays(day));
        events.add(
            new ReportEvent(
                t,
                Events.row("192.0.2.1", "example.com", true),
                Events.policy("example.com"),
                "example.com",
                List.of("mailto:dmarc@example.com")));
      }
      record(store, events);
      sink.hardReject("rcpt");
      ReportSender sender =
          sender(store, noDns()).suppressAfter(2).suppressFor(Duration.ofDays(7)).build();
      clock.set(NEXT_DAY);
      assertThat(sender.sendDue().failed()).isEqualTo(1);
      clock.advance(Duration.ofDays(1));
      assertThat(sender.sendDue().failed()).isEqualTo(1);
      assertThat(registry.counter(ReportMetrics.SUPPRESSED).count()).isEqualTo(1);
      sink.acceptAll();
      clock.advance(Duration.ofDays(1));
      SendSummary third = sender.sendDue();
      assertThat(third.suppressed()).isEqualTo(1);
      assertThat(third.sent()).isZero();
      assertThat(sink.messages()).isEmpty();
    }
  }

  @Test
  void sendDue_sentReportsAreRemovedAfterTheKeepTime() {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      record(store, traffic("example.com", "mailto:dmarc@example.com", 2, 0));
      ReportReader reader = new ReportReader(store);
      ReportSender sender = sender(store, noDns()).keep(Duration.ofDays(3)).build();
      clock.set(NEXT_DAY);
      assertThat(sender.sendDue().sent()).isEqualTo(1);
      clock.advance(Duration.ofDays(2));
      sender.sendDue();
      assertThat(reader.rows(Optional.empty(), 0, Long.MAX_VALUE)).hasSize(1);
      clock.advance(Duration.ofDays(2));
      sender.sendDue();
      assertThat(reader.rows(Optional.empty(), 0, Long.MAX_VALUE)).isEmpty();
      clock.advance(Duration.ofDays(1));
      assertThat(sender.sendDue()).isEqualTo(SendSummary.EMPTY);
      assertThat(sink.messages()).hasSize(1);
    }
  }

  @Test
  void sendDue_denyListKeepsReportsFromADestination() {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      record(store, traffic("example.com", "mailto:dmarc@example.com", 1, 0));
      clock.set(NEXT_DAY);
      SendSummary s =
          sender(store, noDns())
              .lists(new DestinationLists(List.of(), List.of("example.com")))
              .build()
              .sendDue();
      assertThat(s.denied()).isEqualTo(1);
      assertThat(s.sent()).isZero();
      assertThat(sink.messages()).isEmpty();
    }
  }

  @Test
  void sendDue_oversizedReportIsSentInPartsThatAddUp() throws Exception {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      List<ReportEvent> events = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        events.add(
            Events.event(
                NOON,
                "10." + (i * 37 % 251) + "." + (i / 250) + "." + (i % 250),
                "example.com",
                i % 2 == 0,
                "mailto:dmarc@example.com"));
      }
      record(store, events);
      clock.set(NEXT_DAY);
      SendSummary s = sender(store, noDns()).maxReportBytes(1024).build().sendDue();
      assertThat(s.sent()).isGreaterThan(1);
      List<Path> files = sink.awaitMessages(s.sent(), Duration.ofSeconds(10));
      long total = 0;
      List<String> ids = new ArrayList<>();
      for (Path f : files) {
        Mails.Saved m = Mails.read(f);
        assertThat(m.fileName())
            .matches("receiver\\.example!example\\.com!\\d+!\\d+![0-9]+\\.xml\\.gz");
        total += m.report().messageCount();
        ids.add(m.report().metadata().reportId());
      }
      assertThat(total).isEqualTo(400);
      assertThat(ids).doesNotHaveDuplicates();
    }
  }

  @Test
  void sendDue_signsWithDkimWhenAKeyIsGiven() throws Exception {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      record(store, traffic("example.com", "mailto:dmarc@example.com", 1, 0));
      DkimPrivateKey key = DkimPrivateKey.generateEd25519();
      DkimSigner signer =
          DkimSigner.builder().domain("receiver.example").selector("rpt").key(key).build();
      clock.set(NEXT_DAY);
      assertThat(sender(store, noDns()).signer(Optional.of(signer)).build().sendDue().sent())
          .isEqualTo(1);
      Path file = sink.awaitMessages(1, Duration.ofSeconds(10)).get(0);
      String text = Files.readString(file);
      String message =
          text.substring(text.indexOf("DKIM-Signature:"))
              .replace("\r\n", "\n")
              .replace("\n", "\r\n");
      DnsResolver keys =
          ZoneResolver.fromText(
              "rpt._domainkey.receiver.example. 300 IN TXT \"" + key.keyRecord() + "\"\n");
      List<DkimOutcome> outcomes =
          DkimVerifier.builder()
              .resolver(keys)
              .build()
              .verify(
                  new ByteArrayInputStream(
                      message.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertThat(outcomes)
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.result()).as(o.reason()).isEqualTo(DkimResult.PASS);
                assertThat(o.domain()).isEqualTo("receiver.example");
              });
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void sendDue_instancesRacingSendEachReportOnce(Dialect dialect) throws Exception {
    StoreLocation location = BACKENDS.fresh(dialect, tempDir);
    List<Store> stores = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        stores.add(Store.builder(location).build());
      }
      List<ReportEvent> events = new ArrayList<>();
      for (String d : List.of("a.example", "b.example", "c.example", "d.example")) {
        events.addAll(traffic(d, "mailto:dmarc@" + d, 2, 1));
      }
      record(stores.get(0), events);
      clock.set(NEXT_DAY);
      List<ReportSender> senders = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        senders.add(sender(stores.get(i), noDns()).owner("instance-" + i).build());
      }
      CyclicBarrier start = new CyclicBarrier(3);
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<SendSummary>> results = new ArrayList<>();
      for (ReportSender s : senders) {
        Callable<SendSummary> run =
            () -> {
              start.await(30, TimeUnit.SECONDS);
              return s.sendDue();
            };
        results.add(pool.submit(run));
      }
      int sent = 0;
      for (Future<SendSummary> f : results) {
        sent += f.get(120, TimeUnit.SECONDS).sent();
      }
      pool.shutdown();
      assertThat(sent).isEqualTo(4);
      List<Path> files = sink.awaitMessages(4, Duration.ofSeconds(10));
      Thread.sleep(300);
      assertThat(sink.messages()).hasSize(4);
      List<String> domains = new ArrayList<>();
      for (Path f : files) {
        AggregateReport r = Mails.read(f).report();
        domains.add(r.published().domain());
        assertThat(r.messageCount()).isEqualTo(3);
      }
      assertThat(domains)
          .containsExactlyInAnyOrder("a.example", "b.example", "c.example", "d.example");
      for (ReportSender s : senders) {
        assertThat(s.sendDue()).isEqualTo(SendSummary.EMPTY);
      }
    } finally {
      stores.forEach(Store::close);
    }
  }
}
