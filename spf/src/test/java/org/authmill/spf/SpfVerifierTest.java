package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.RecordType;
import org.authmill.dns.ZoneResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpfVerifierTest {
  private static final String ZONE =
      """
      a.example. 600 IN TXT "v=spf1 a:h1.example. a:h2.example. a:h3.example. -all"
      h1.example. 60 IN A 192.0.2.1
      h2.example. 900 IN A 192.0.2.2
      h3.example. 900 IN A 192.0.2.3
      """;

  /** A clock that moves 10 s forward each time it is read. */
  private static final class SteppingClock extends Clock {
    private Instant now = Instant.EPOCH;

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      Instant current = now;
      now = now.plusSeconds(10);
      return current;
    }
  }

  @Test
  void check_mailFromInULabels_isCheckedAsItsALabels() {
    // RFC 8616 §4: U-labels become A-labels, for the lookup and for macros (%{d}, %{o}).
    SpfVerifier verifier =
        SpfVerifier.builder(
                ZoneResolver.fromText(
                    """
                    xn--bcher-kva.example. 600 IN TXT "v=spf1 exists:%{d}.%{o}.ok.example. -all"
                    xn--bcher-kva.example.xn--bcher-kva.example.ok.example. 600 IN A 127.0.0.2
                    """))
            .build();
    SpfOutcome outcome =
        verifier
            .check(SuiteZone.address("192.0.2.9"), "jörg@Bücher.example", "h.example")
            .toCompletableFuture()
            .join();
    assertThat(outcome.result()).as(outcome.reason()).isEqualTo(SpfResult.PASS);
    assertThat(outcome.domain()).isEqualTo("xn--bcher-kva.example");
    SpfOutcome unconvertible =
        verifier
            .check(SuiteZone.address("192.0.2.9"), "x@\u2665.example", "h.example")
            .toCompletableFuture()
            .join();
    assertThat(unconvertible.result()).isEqualTo(SpfResult.NONE);
    assertThat(unconvertible.reason()).contains("U-labels that IDNA2008 allows");
  }

  @Test
  void check_elapsedTimeLimitIsTemperror() {
    SpfVerifier verifier =
        SpfVerifier.builder(ZoneResolver.fromText(ZONE)).clock(new SteppingClock()).build();
    SpfOutcome outcome =
        verifier
            .check(SuiteZone.address("192.0.2.3"), "x@a.example", "h")
            .toCompletableFuture()
            .join();
    assertThat(outcome.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(outcome.reason()).contains("took longer than 20 s");
    assertThat(outcome.ttl()).isEqualTo(Duration.ZERO);
  }

  @Test
  void check_ttlIsTheSmallestAnswerTtl() {
    SpfVerifier verifier = SpfVerifier.builder(ZoneResolver.fromText(ZONE)).build();
    SpfOutcome outcome =
        verifier
            .check(SuiteZone.address("192.0.2.2"), "x@a.example", "h")
            .toCompletableFuture()
            .join();
    assertThat(outcome.result()).isEqualTo(SpfResult.PASS);
    assertThat(outcome.ttl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(outcome.lookupsUsed()).isEqualTo(2);
    assertThat(outcome.mechanism()).contains("a:h2.example.");
  }

  @Test
  void check_resolverBugBecomesTemperrorNotException() {
    DnsResolver broken =
        new DnsResolver() {
          @Override
          public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
            return CompletableFuture.failedFuture(new IllegalStateException("boom"));
          }
        };
    SpfOutcome outcome =
        SpfVerifier.builder(broken)
            .build()
            .check(SuiteZone.address("192.0.2.2"), "x@a.example", "h")
            .toCompletableFuture()
            .join();
    assertThat(outcome.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(outcome.reason()).contains("boom");
  }

  @Test
  void check_configurableLimits() {
    SpfVerifier verifier =
        SpfVerifier.builder(ZoneResolver.fromText(ZONE))
            .limits(new SpfLimits(1, 2, 10, 10, Duration.ofSeconds(20)))
            .build();
    SpfOutcome outcome =
        verifier
            .check(SuiteZone.address("192.0.2.3"), "x@a.example", "h")
            .toCompletableFuture()
            .join();
    assertThat(outcome.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(outcome.reason()).contains("more than 1 DNS-querying terms");
  }

  @Test
  void checkHelo_reportsHeloIdentity() {
    SpfOutcome outcome =
        SpfVerifier.builder(ZoneResolver.fromText(ZONE))
            .build()
            .checkHelo(SuiteZone.address("192.0.2.9"), "a.example")
            .toCompletableFuture()
            .join();
    assertThat(outcome.result()).isEqualTo(SpfResult.FAIL);
    assertThat(outcome.identity()).isEqualTo(SpfIdentity.HELO);
    assertThat(outcome.authResultsProperty()).isEqualTo("smtp.helo");
    assertThat(outcome.identityValue()).isEqualTo("a.example");
  }

  @Test
  void check_angleBracketsAndNullSender() {
    SpfVerifier verifier = SpfVerifier.builder(ZoneResolver.fromText(ZONE)).build();
    SpfOutcome bracketed =
        verifier
            .check(SuiteZone.address("192.0.2.1"), "<x@a.example>", "h")
            .toCompletableFuture()
            .join();
    assertThat(bracketed.result()).isEqualTo(SpfResult.PASS);
    SpfOutcome nullSender =
        verifier
            .check(SuiteZone.address("192.0.2.1"), "<>", "a.example")
            .toCompletableFuture()
            .join();
    assertThat(nullSender.identityValue()).isEqualTo("postmaster@a.example");
    assertThat(nullSender.result()).isEqualTo(SpfResult.PASS);
  }

  /** The %{r} macro and the Received-SPF receiver= key want a host name (RFC 7208 §7.3, §9.1). */
  @ParameterizedTest
  @ValueSource(strings = {"bad name!", "mx.example.org;x", "", "a..b", "mx\r\n.example.org"})
  void builderReceiver_rejectsWhatIsNoHostName(String receiver) {
    assertThatThrownBy(() -> SpfVerifier.builder(ZoneResolver.fromText(ZONE)).receiver(receiver))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mx.example.org", "MX-1.Example.Org.", "unknown", "_spf.example.net"})
  void builderReceiver_acceptsHostNames(String receiver) {
    SpfVerifier.builder(ZoneResolver.fromText(ZONE)).receiver(receiver).build();
  }

  @Test
  void check_errorInsideIncludesGivesProblemFirstThenTheChain() {
    String zone =
        """
        top.example. 600 IN TXT "v=spf1 include:mid.example. -all"
        mid.example. 600 IN TXT "v=spf1 include:bad.example -all"
        bad.example. 600 IN TXT "v=spf1 ip4:192.0.2.300 -all"
        """;
    SpfOutcome outcome =
        SpfVerifier.builder(ZoneResolver.fromText(zone))
            .build()
            .check(SuiteZone.address("192.0.2.1"), "x@top.example", "h")
            .toCompletableFuture()
            .join();
    assertThat(outcome.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(outcome.reason())
        .startsWith("the SPF record of bad.example has a syntax error in 'ip4:192.0.2.300'")
        .endsWith(" (via include:mid.example. > include:bad.example)");
  }
}
