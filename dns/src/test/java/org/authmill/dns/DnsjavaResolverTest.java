package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.authmill.testkit.FakeDnsServer;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/** DnsjavaResolver against a real authoritative server (NSD) serving testdata/dns/fixtures.zone. */
class DnsjavaResolverTest {
  private static NsdServer nsd;
  private static DnsjavaResolver resolver;
  private static ZoneResolver zone;

  @BeforeAll
  static void start() throws Exception {
    nsd = NsdServer.servingFile(TestPaths.testdata("dns/fixtures.zone"));
    resolver =
        DnsjavaResolver.builder()
            .nameserver(nsd.address())
            .timeout(Duration.ofSeconds(2))
            .retries(1)
            .build();
    zone = ZoneResolver.fromFile(TestPaths.testdata("dns/fixtures.zone"));
  }

  @AfterAll
  static void stop() {
    if (nsd != null) {
      nsd.close();
    }
  }

  private static <T> DnsAnswer<T> ask(String name, RecordType<T> type) {
    return resolver.lookup(name, type).toCompletableFuture().join();
  }

  @Test
  void txt_severalStrings_joinedWithoutSeparator() {
    assertThat(ask("multi.example.org", RecordType.TXT).values()).containsExactly("onetwothree");
    assertThat(ask("long.example.org", RecordType.TXT).values())
        .singleElement()
        .satisfies(s -> assertThat(s).hasSize(259).endsWith("tail"));
  }

  @Test
  void txt_severalRecords_allReturned() {
    assertThat(ask("example.org", RecordType.TXT).values())
        .containsExactlyInAnyOrder(
            "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all", "second record");
  }

  @Test
  void txt_answerLargerThanUdp_retriedOverTcp() {
    assertThat(ask("big.example.org", RecordType.TXT).values()).hasSize(12);
  }

  @Test
  void lookup_unknownName_isNxDomainWithSoaMinimum() {
    assertThat(ask("nothing.zone.test", RecordType.TXT))
        .isEqualTo(new DnsAnswer.NxDomain<String>(Duration.ofSeconds(60)));
  }

  @Test
  void lookup_nameWithOtherTypes_isNoData() {
    assertThat(ask("host.example.org", RecordType.TXT)).isInstanceOf(DnsAnswer.NoData.class);
    assertThat(ask("onlyaaaa.example.org", RecordType.A)).isInstanceOf(DnsAnswer.NoData.class);
  }

  @Test
  void lookup_emptyNonTerminal_isNoData() {
    assertThat(ask("b.c.zone.test", RecordType.TXT)).isInstanceOf(DnsAnswer.NoData.class);
  }

  @Test
  void lookup_cname_followedWithinAndAcrossZones() throws Exception {
    assertThat(ask("cname.example.org", RecordType.A).values())
        .containsExactly(InetAddress.getByName("198.51.100.7"));
    assertThat(ask("outside.example.org", RecordType.A).values())
        .containsExactlyInAnyOrder(
            InetAddress.getByName("192.0.2.10"), InetAddress.getByName("192.0.2.11"));
  }

  @Test
  void lookup_cnameLoop_isTempFailure() {
    assertThat(ask("loop1.example.org", RecordType.TXT)).isInstanceOf(DnsAnswer.TempFailure.class);
  }

  @Test
  void mx_aaaa_ptr_read() throws Exception {
    assertThat(ask("mail.zone.test", RecordType.MX).values())
        .containsExactlyInAnyOrder(
            new MxRecord(10, "mx1.zone.test"), new MxRecord(20, "mx2.zone.test"));
    assertThat(ask("host.example.org", RecordType.AAAA).values())
        .containsExactly(InetAddress.getByName("2001:db8:0:1::7"));
    assertThat(
            resolver
                .ptr(InetAddress.getByName("198.51.100.7"))
                .toCompletableFuture()
                .join()
                .values())
        .containsExactlyInAnyOrder("host.example.org", "other.example.org");
    assertThat(
            resolver
                .ptr(InetAddress.getByName("2001:db8:0:1::7"))
                .toCompletableFuture()
                .join()
                .values())
        .containsExactly("host.example.org");
  }

  @Test
  void lookup_silentServer_tempFailureWithinTimeout() throws Exception {
    try (FakeDnsServer silent = FakeDnsServer.silent()) {
      DnsjavaResolver r =
          DnsjavaResolver.builder()
              .nameserver(silent.address())
              .timeout(Duration.ofMillis(300))
              .retries(1)
              .build();
      long start = System.nanoTime();
      DnsAnswer<String> answer = r.txt("example.org").toCompletableFuture().join();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(answer).isInstanceOf(DnsAnswer.TempFailure.class);
      assertThat(((DnsAnswer.TempFailure<String>) answer).reason())
          .contains("example.org/TXT")
          .contains(silent.address().getPort() + "");
      assertThat(silent.queries()).isEqualTo(2);
      // Two attempts of 300 ms: the answer must not wait much beyond the configured bound.
      assertThat(took).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void lookup_servfail_tempFailureNamingRcode() throws Exception {
    try (FakeDnsServer failing = FakeDnsServer.answering(Rcode.SERVFAIL)) {
      DnsjavaResolver r =
          DnsjavaResolver.builder().nameserver(failing.address()).retries(0).build();
      DnsAnswer<String> answer = r.txt("example.org").toCompletableFuture().join();
      assertThat(answer).isInstanceOf(DnsAnswer.TempFailure.class);
      assertThat(((DnsAnswer.TempFailure<String>) answer).reason()).startsWith("SERVFAIL");
    }
  }

  /** A bound on any answer in these fault tests: generous for a loaded two-core CI machine. */
  private static final Duration BOUND = Duration.ofSeconds(10);

  private static <T> DnsAnswer<T> timed(java.util.concurrent.CompletionStage<DnsAnswer<T>> stage) {
    long start = System.nanoTime();
    DnsAnswer<T> answer = stage.toCompletableFuture().join();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    return answer;
  }

  @Test
  void lookup_truncatedOverUdp_retriedOverTcp() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                new FakeDnsServer.Reply.TruncatedOverUdp(
                    FakeDnsServer.txt(q, 300, "v=spf1 -all")))) {
      DnsjavaResolver r = DnsjavaResolver.builder().nameserver(server.address()).build();
      assertThat(timed(r.txt("example.org")).values()).containsExactly("v=spf1 -all");
      assertThat(server.tcpQueries()).isEqualTo(1);
    }
  }

  @Test
  void lookup_enormousTxtAnswer_comesWholeOverTcp() throws Exception {
    // 100 records of 600 octets: some 60 KB, too large for UDP, within a TCP message.
    String[] texts = new String[100];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = String.format("%03d", i) + "x".repeat(597);
    }
    try (FakeDnsServer server = FakeDnsServer.start(q -> FakeDnsServer.txt(q, 300, texts))) {
      DnsjavaResolver r = DnsjavaResolver.builder().nameserver(server.address()).build();
      DnsAnswer<String> answer = timed(r.txt("big.example.org"));
      assertThat(answer.values()).hasSize(100).allMatch(t -> t.length() == 600);
      assertThat(server.tcpQueries()).isEqualTo(1);
    }
  }

  @Test
  void lookup_cnameLoopAcrossQueries_tempFailureNamingTheLoop() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                FakeDnsServer.cname(
                    q,
                    q.nameText().equals("a.example.org") ? "b.example.org." : "a.example.org."))) {
      DnsjavaResolver r = DnsjavaResolver.builder().nameserver(server.address()).build();
      DnsAnswer<String> answer = timed(r.txt("a.example.org"));
      assertThat(answer).isInstanceOf(DnsAnswer.TempFailure.class);
      assertThat(((DnsAnswer.TempFailure<String>) answer).reason()).contains("CNAME loop");
      assertThat(server.queries()).isLessThanOrEqualTo(DnsjavaResolver.MAX_CNAME_HOPS + 1);
    }
  }

  @Test
  void lookup_cnameChainTooLong_tempFailure() throws Exception {
    // a0 -> a1 -> a2 -> ... never ending, never looping.
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q -> {
              String name = q.nameText();
              int n = Integer.parseInt(name.substring(1, name.indexOf('.')));
              return FakeDnsServer.cname(q, "a" + (n + 1) + ".example.org.");
            })) {
      DnsjavaResolver r = DnsjavaResolver.builder().nameserver(server.address()).build();
      DnsAnswer<String> answer = timed(r.txt("a0.example.org"));
      assertThat(answer).isInstanceOf(DnsAnswer.TempFailure.class);
      assertThat(server.queries()).isEqualTo(DnsjavaResolver.MAX_CNAME_HOPS + 1);
    }
  }

  @Test
  void lookup_answerAfterTheTimeout_tempFailureAndTheLateAnswerIgnored() throws Exception {
    try (FakeDnsServer slow =
        FakeDnsServer.start(
            q ->
                new FakeDnsServer.Reply.Delayed(
                    Duration.ofMillis(1500), FakeDnsServer.txt(q, 300, "late")))) {
      DnsjavaResolver r =
          DnsjavaResolver.builder()
              .nameserver(slow.address())
              .timeout(Duration.ofMillis(300))
              .retries(0)
              .build();
      DnsAnswer<String> answer = timed(r.txt("slow.example.org"));
      assertThat(answer).isInstanceOf(DnsAnswer.TempFailure.class);
    }
  }

  @Test
  void lookup_slowServerBehindADeadline_tempFailureAtTheDeadline() throws Exception {
    try (FakeDnsServer slow =
        FakeDnsServer.start(
            q ->
                new FakeDnsServer.Reply.Delayed(
                    Duration.ofSeconds(3), FakeDnsServer.txt(q, 300, "late")))) {
      DnsjavaResolver r =
          DnsjavaResolver.builder()
              .nameserver(slow.address())
              .timeout(Duration.ofSeconds(5))
              .build();
      DeadlineResolver budget = new DeadlineResolver(r, Duration.ofMillis(500));
      long start = System.nanoTime();
      DnsAnswer<String> answer = budget.txt("slow.example.org").toCompletableFuture().join();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(answer).isInstanceOf(DnsAnswer.TempFailure.class);
      assertThat(((DnsAnswer.TempFailure<String>) answer).reason())
          .contains("DNS budget of 500 ms");
      assertThat(took)
          .isGreaterThanOrEqualTo(Duration.ofMillis(450))
          .isLessThan(Duration.ofMillis(2900));
    }
  }

  @Test
  void lookup_malformedOrWrongRcodes_tempFailure() throws Exception {
    for (int rcode : new int[] {Rcode.FORMERR, Rcode.NOTIMP, Rcode.REFUSED, Rcode.SERVFAIL}) {
      try (FakeDnsServer server = FakeDnsServer.answering(rcode)) {
        DnsjavaResolver r =
            DnsjavaResolver.builder().nameserver(server.address()).retries(0).build();
        DnsAnswer<String> answer = timed(r.txt("example.org"));
        assertThat(answer).as(Rcode.string(rcode)).isInstanceOf(DnsAnswer.TempFailure.class);
        assertThat(((DnsAnswer.TempFailure<String>) answer).reason())
            .startsWith(Rcode.string(rcode));
      }
    }
  }

  @Test
  void lookup_firstServerFails_secondAnswers() throws Exception {
    try (FakeDnsServer refusing = FakeDnsServer.answering(Rcode.REFUSED)) {
      DnsjavaResolver r =
          DnsjavaResolver.builder()
              .nameserver(refusing.address())
              .nameserver(nsd.address())
              .retries(0)
              .build();
      assertThat(r.txt("multi.example.org").toCompletableFuture().join().values())
          .containsExactly("onetwothree");
      assertThat(refusing.queries()).isEqualTo(1);
    }
  }

  /**
   * ZoneResolver must give the answers NSD gives for the same file: every owner name, every type.
   */
  @TestFactory
  List<DynamicTest> zoneResolver_matchesNsd_onEveryRecord() throws Exception {
    Set<String> names = new HashSet<>();
    try (Master master =
        new Master(
            Files.newInputStream(TestPaths.testdata("dns/fixtures.zone")), Name.root, 3600)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        names.add(r.getName().toString(true));
      }
    }
    names.addAll(
        List.of(
            "nothing.example.org",
            "nothing.zone.test",
            "b.c.zone.test",
            "x.y.wild.zone.test",
            "wild.zone.test"));
    List<RecordType<?>> types =
        List.of(RecordType.TXT, RecordType.A, RecordType.AAAA, RecordType.MX, RecordType.PTR);
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : names.stream().sorted().toList()) {
      for (RecordType<?> type : types) {
        tests.add(
            DynamicTest.dynamicTest(
                name + "/" + type,
                () -> {
                  DnsAnswer<?> fromNsd = resolver.lookup(name, type).toCompletableFuture().join();
                  DnsAnswer<?> fromZone = zone.lookup(name, type).toCompletableFuture().join();
                  assertThat(comparable(fromZone)).isEqualTo(comparable(fromNsd));
                }));
      }
    }
    assertThat(names).hasSizeGreaterThan(25);
    return tests;
  }

  /** The answer with its records as a set, since servers may rotate the order of an RRset. */
  private static Object comparable(DnsAnswer<?> answer) {
    if (answer instanceof DnsAnswer.Records<?> records) {
      return List.of("records", Set.copyOf(records.records()), records.ttl());
    }
    if (answer instanceof DnsAnswer.TempFailure<?>) {
      return "tempfail";
    }
    return answer;
  }
}
