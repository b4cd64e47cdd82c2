package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import org.authmill.dns.DeadlineResolver;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.testkit.FakeDnsServer;
import org.authmill.testkit.FakeDnsServer.Reply;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

/**
 * DKIM key lookups (RFC 6376 §3.6.2) over a misbehaving name server: a key that cannot be had for
 * now is {@code temperror} (§6.1.2: TEMPFAIL), a key record that is not one is {@code permerror},
 * and each answer comes within a bound (functional, generous for a loaded CI machine).
 */
class DkimVerifierDnsFaultTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private static final byte[] SIGNED =
      TestMessages.sign(
          FuzzDkim.signer(
              Canonicalization.RELAXED, Canonicalization.RELAXED, List.of("From", "Subject")),
          FuzzDkim.bytes("From: a@example.com\r\nSubject: faults\r\n\r\nbody\r\n"));

  private static DnsResolver resolver(FakeDnsServer server) {
    return DnsjavaResolver.builder()
        .nameserver(server.address())
        .timeout(Duration.ofMillis(500))
        .retries(0)
        .build();
  }

  private static DkimOutcome verify(DnsResolver dns) {
    DkimVerifier verifier = DkimVerifier.builder(dns).clock(FuzzDkim.CLOCK).build();
    long start = System.nanoTime();
    List<DkimOutcome> outcomes =
        verifier.verify(new ByteArrayInputStream(SIGNED)).toCompletableFuture().join();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered within").isLessThan(BOUND);
    assertThat(outcomes).hasSize(1);
    return outcomes.get(0);
  }

  @Test
  void verify_keyFromAWorkingServer_pass() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(q -> FakeDnsServer.txt(q, 300, FuzzDkim.KEY.keyRecord()))) {
      assertThat(verify(resolver(server)).result()).isEqualTo(DkimResult.PASS);
    }
  }

  @Test
  void verify_silentServer_temperror() throws Exception {
    try (FakeDnsServer server = FakeDnsServer.silent()) {
      DkimOutcome o = verify(resolver(server));
      assertThat(o.result()).isEqualTo(DkimResult.TEMPERROR);
      assertThat(o.reason()).contains("fuzz._domainkey.example.com");
    }
  }

  @Test
  void verify_servfail_temperror() throws Exception {
    try (FakeDnsServer server = FakeDnsServer.answering(Rcode.SERVFAIL)) {
      assertThat(verify(resolver(server)).result()).isEqualTo(DkimResult.TEMPERROR);
    }
  }

  @Test
  void verify_truncatedAnswer_keyFetchedOverTcp() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q -> new Reply.TruncatedOverUdp(FakeDnsServer.txt(q, 300, FuzzDkim.KEY.keyRecord())))) {
      assertThat(verify(resolver(server)).result()).isEqualTo(DkimResult.PASS);
      assertThat(server.tcpQueries()).isPositive();
    }
  }

  @Test
  void verify_enormousKeyRecord_permerror() throws Exception {
    String huge = "v=DKIM1; k=rsa; n=" + "x".repeat(50_000) + "; p=AAAA";
    try (FakeDnsServer server = FakeDnsServer.start(q -> FakeDnsServer.txt(q, 300, huge))) {
      DkimOutcome o = verify(resolver(server));
      assertThat(o.result()).isEqualTo(DkimResult.PERMERROR);
      assertThat(o.reason().length()).as("the reason quotes no 50 KB").isLessThan(300);
    }
  }

  @Test
  void verify_cnameLoop_temperror() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                FakeDnsServer.cname(
                    q,
                    q.nameText().startsWith("fuzz.")
                        ? "key.example.net."
                        : "fuzz._domainkey.example.com."))) {
      assertThat(verify(resolver(server)).result()).isEqualTo(DkimResult.TEMPERROR);
    }
  }

  @Test
  void verify_answerPastTheDeadline_temperrorAtTheDeadline() throws Exception {
    try (FakeDnsServer server =
        FakeDnsServer.start(
            q ->
                new Reply.Delayed(
                    Duration.ofSeconds(3), FakeDnsServer.txt(q, 300, FuzzDkim.KEY.keyRecord())))) {
      DnsResolver slow =
          DnsjavaResolver.builder()
              .nameserver(server.address())
              .timeout(Duration.ofSeconds(5))
              .build();
      long start = System.nanoTime();
      DkimOutcome o = verify(new DeadlineResolver(slow, Duration.ofMillis(500)));
      assertThat(o.result()).isEqualTo(DkimResult.TEMPERROR);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
    }
  }
}
