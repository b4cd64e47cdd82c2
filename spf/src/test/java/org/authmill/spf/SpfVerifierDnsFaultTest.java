package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.authmill.dns.DeadlineResolver;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.testkit.FakeDnsServer;
import org.authmill.testkit.FakeDnsServer.Reply;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * SPF over a misbehaving name server, asked over the network by {@link DnsjavaResolver}: each fault
 * ends in the result RFC 7208 names for it, within a bound (a functional limit, generous for a
 * loaded CI machine, not a performance measurement).
 */
class SpfVerifierDnsFaultTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final InetAddress CLIENT = address("192.0.2.1");

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DnsResolver resolver(FakeDnsServer server, Duration timeout) {
    return DnsjavaResolver.builder()
        .nameserver(server.address())
        .timeout(timeout)
        .retries(0)
        .build();
  }

  private static SpfOutcome check(DnsResolver dns, SpfLimits limits) {
    SpfVerifier verifier = SpfVerifier.builder(dns).limits(limits).build();
    long start = System.nanoTime();
    SpfOutcome outcome =
        verifier.check(CLIENT, "someone@example.com", "helo.example").toCompletableFuture().join();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered within").isLessThan(BOUND);
    return outcome;
  }

  private static SpfOutcome check(FakeDnsServer server) {
    return check(resolver(server, Duration.ofMillis(500)), SpfLimits.RFC_7208);
  }

  @Test
  void check_silentServer_temperror() throws Exception {
    try (FakeDnsServer server = FakeDnsServer.silent()) {
      SpfOutcome o = check(server);
      assertThat(o.result()).isEqualTo(SpfResult.TEMPERROR); // RFC 7208 §4.4: a timeout
      assertThat(o.reason()).contains("example.com");
    }
  }

  @Test
  void check_servfail_temperror() throws Exception {
    try (FakeDnsServer server = FakeDnsServer.answering(Rcode.SERVFAIL)) {
      SpfOutcome o = check(server);
      assertThat(o.result()).isEqualTo(SpfResult.TEMPERROR); // RFC 7208 §4.4: RCODE 2
      assertThat(o.reason()).contains("SERVFAIL");
    }
  }

  @Test
  void check_servfailForAnInclude_temperror() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                q.nameText().equals("example.com")
                    ? FakeDnsServer.txt(q, 300, "v=spf1 include:_spf.example.net -all")
                    : new Reply.Code(Rcode.SERVFAIL))) {
      assertThat(check(server).result())
          .isEqualTo(SpfResult.TEMPERROR); // §5.2: include's temperror
    }
  }

  @Test
  void check_truncatedAnswer_retriedOverTcpAndEvaluated() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                new Reply.TruncatedOverUdp(
                    FakeDnsServer.txt(q, 300, "v=spf1 ip4:192.0.2.0/24 -all")))) {
      SpfOutcome o = check(server);
      assertThat(o.result()).isEqualTo(SpfResult.PASS);
      assertThat(server.tcpQueries()).isPositive();
    }
  }

  @Test
  void check_enormousRecord_evaluatedWholeOverTcp() throws Exception {
    StringBuilder record = new StringBuilder("v=spf1");
    for (int i = 0; record.length() < 60_000; i++) {
      record.append(" ip4:10.").append(i / 256 % 256).append('.').append(i % 256).append(".0/24");
    }
    record.append(" ip4:192.0.2.1 -all");
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                q.type() == Type.TXT
                    ? FakeDnsServer.txt(q, 300, record.toString())
                    : new Reply.Answer(java.util.List.of()))) {
      SpfOutcome o = check(server);
      assertThat(o.result()).as(o.reason()).isEqualTo(SpfResult.PASS);
      assertThat(o.mechanism()).contains("ip4:192.0.2.1");
    }
  }

  @Test
  void check_twoSpfRecordsAmongManyTxtRecords_permerror() throws Exception {
    String[] texts = new String[60];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = "site-verification=" + "x".repeat(500) + i;
    }
    texts[10] = "v=spf1 ip4:192.0.2.1 -all";
    texts[50] = "v=spf1 -all";
    try (FakeDnsServer server = FakeDnsServer.start(q -> FakeDnsServer.txt(q, 300, texts))) {
      SpfOutcome o = check(server);
      assertThat(o.result()).isEqualTo(SpfResult.PERMERROR); // RFC 7208 §4.5: more than one
    }
  }

  @Test
  void check_cnameLoop_temperror() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                FakeDnsServer.cname(
                    q,
                    q.nameText().equals("example.com") ? "alias.example.net." : "example.com."))) {
      SpfOutcome o = check(server);
      assertThat(o.result()).isEqualTo(SpfResult.TEMPERROR);
      assertThat(o.reason()).contains("CNAME loop");
    }
  }

  @Test
  void check_answerPastTheDeadline_temperrorAtTheDeadline() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                new Reply.Delayed(
                    Duration.ofSeconds(3), FakeDnsServer.txt(q, 300, "v=spf1 +all")))) {
      DnsResolver budget =
          new DeadlineResolver(resolver(server, Duration.ofSeconds(5)), Duration.ofMillis(500));
      long start = System.nanoTime();
      SpfOutcome o = check(budget, SpfLimits.RFC_7208);
      assertThat(o.result()).isEqualTo(SpfResult.TEMPERROR);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
    }
  }

  @Test
  void check_slowIncludeChainPastTheProcessingLimit_temperror() throws Exception {
    // Each answer takes 300 ms; the chain include:1 -> include:2 -> ... never ends by itself.
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q -> {
              String name = q.nameText();
              int n =
                  name.startsWith("n") ? Integer.parseInt(name.substring(1, name.indexOf('.'))) : 0;
              return new Reply.Delayed(
                  Duration.ofMillis(300),
                  FakeDnsServer.txt(q, 300, "v=spf1 include:n" + (n + 1) + ".example.net -all"));
            })) {
      SpfLimits limits = new SpfLimits(10, 2, 10, 10, Duration.ofSeconds(1));
      SpfOutcome o = check(resolver(server, Duration.ofSeconds(2)), limits);
      // Ten lookups would take 3 s: the 1 s processing limit (§4.6.4) ends it first.
      assertThat(o.result()).as(o.reason()).isEqualTo(SpfResult.TEMPERROR);
      assertThat(o.reason()).contains("longer than 1 s");
    }
  }
}
