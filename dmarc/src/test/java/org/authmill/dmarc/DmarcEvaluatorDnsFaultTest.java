package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.authmill.dns.DeadlineResolver;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.testkit.FakeDnsServer;
import org.authmill.testkit.FakeDnsServer.Reply;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

/**
 * DMARC policy discovery (RFC 9989 §4.10) over a misbehaving name server: a record that cannot be
 * had for now is {@code temperror} (§4.10.1), answers are taken over TCP when truncated (also a 60
 * KB record), and each evaluation ends within a bound (functional, generous for a loaded CI
 * machine).
 */
class DmarcEvaluatorDnsFaultTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final Optional<SpfCheck> SPF = Optional.of(new SpfCheck("example.com", "fail"));

  private static DnsResolver resolver(FakeDnsServer server) {
    return DnsjavaResolver.builder()
        .nameserver(server.address())
        .timeout(Duration.ofMillis(500))
        .retries(0)
        .build();
  }

  private static DmarcOutcome evaluate(DnsResolver dns) {
    long start = System.nanoTime();
    DmarcOutcome o =
        DmarcEvaluator.builder(dns)
            .build()
            .evaluate("mail.example.com", SPF, List.of())
            .toCompletableFuture()
            .join();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered within").isLessThan(BOUND);
    return o;
  }

  /** _dmarc.example.com holds p=reject; every other name is NXDOMAIN. */
  private static Reply zone(FakeDnsServer.Query q) {
    if (q.nameText().equals("_dmarc.example.com")) {
      return FakeDnsServer.txt(q, 300, "v=DMARC1; p=reject");
    }
    return new Reply.Code(Rcode.NXDOMAIN);
  }

  @Test
  void evaluate_workingServer_failUnderReject() throws Exception {
    try (FakeDnsServer server = FakeDnsServer.start(DmarcEvaluatorDnsFaultTest::zone)) {
      DmarcOutcome o = evaluate(resolver(server));
      assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
      assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
    }
  }

  @Test
  void evaluate_silentServer_temperror() throws Exception {
    try (FakeDnsServer server = FakeDnsServer.silent()) {
      assertThat(evaluate(resolver(server)).result()).isEqualTo(DmarcResult.TEMPERROR);
    }
  }

  @Test
  void evaluate_servfail_temperror() throws Exception {
    try (FakeDnsServer server = FakeDnsServer.answering(Rcode.SERVFAIL)) {
      DmarcOutcome o = evaluate(resolver(server));
      assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
      assertThat(o.reason()).isNotBlank();
    }
  }

  @Test
  void evaluate_servfailOnlyForTheOrganizationalDomain_temperror() throws Exception {
    // The author domain has no record; the walk up the tree meets a failing server.
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                q.nameText().equals("_dmarc.mail.example.com")
                    ? new Reply.Code(Rcode.NXDOMAIN)
                    : new Reply.Code(Rcode.SERVFAIL))) {
      assertThat(evaluate(resolver(server)).result()).isEqualTo(DmarcResult.TEMPERROR);
    }
  }

  @Test
  void evaluate_truncatedAnswers_takenOverTcp() throws Exception {
    try (FakeDnsServer server = FakeDnsServer.start(q -> new Reply.TruncatedOverUdp(zone(q)))) {
      assertThat(evaluate(resolver(server)).result()).isEqualTo(DmarcResult.FAIL);
      assertThat(server.tcpQueries()).isPositive();
    }
  }

  @Test
  void evaluate_enormousRecord_parsedWholeOverTcp() throws Exception {
    // 60 KB: more than UDP carries, within what one TCP answer can.
    String huge = "v=DMARC1; p=reject; x=" + "y".repeat(60_000);
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                q.nameText().equals("_dmarc.example.com")
                    ? FakeDnsServer.txt(q, 300, huge)
                    : new Reply.Code(Rcode.NXDOMAIN))) {
      DmarcOutcome o = evaluate(resolver(server));
      assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
      assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
      assertThat(o.reason().length()).as("the reason quotes no 60 KB").isLessThan(1000);
      assertThat(server.tcpQueries()).isPositive();
    }
  }

  @Test
  void evaluate_cnameLoop_temperror() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                q.nameText().startsWith("_dmarc.")
                    ? FakeDnsServer.cname(q, "loop.example.net.")
                    : FakeDnsServer.cname(q, "_dmarc.mail.example.com."))) {
      assertThat(evaluate(resolver(server)).result()).isEqualTo(DmarcResult.TEMPERROR);
    }
  }

  @Test
  void evaluate_answerPastTheDeadline_temperrorAtTheDeadline() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(q -> new Reply.Delayed(Duration.ofSeconds(3), zone(q)))) {
      DnsResolver slow =
          DnsjavaResolver.builder()
              .nameserver(server.address())
              .timeout(Duration.ofSeconds(5))
              .build();
      long start = System.nanoTime();
      DmarcOutcome o = evaluate(new DeadlineResolver(slow, Duration.ofMillis(500)));
      assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
    }
  }
}
