package org.authmill.bench;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.authmill.dns.CachingResolver;
import org.authmill.dns.ZoneResolver;
import org.authmill.spf.SpfOutcome;
import org.authmill.spf.SpfResult;
import org.authmill.spf.SpfVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SPF check_host() (RFC 7208 §4) on a warm DNS cache: a record with three includes and ten address
 * ranges in all, served by a {@link CachingResolver} over a {@link ZoneResolver}. The {@code pass}
 * client matches the last range of the last include, so every record is evaluated; the {@code fail}
 * client matches nothing and reaches {@code -all}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpfBenchmark {
  static final String ZONE =
      """
      example.com.        3600 IN TXT "v=spf1 ip6:2001:db8:10::/48 include:_spf1.example.com include:_spf2.example.com include:_spf3.example.com -all"
      _spf1.example.com.  3600 IN TXT "v=spf1 ip4:192.0.2.0/28 ip4:192.0.2.32/28 ip4:192.0.2.64/28 ~all"
      _spf2.example.com.  3600 IN TXT "v=spf1 ip4:198.51.100.0/26 ip4:198.51.100.128/26 ip6:2001:db8:20::/48 ?all"
      _spf3.example.com.  3600 IN TXT "v=spf1 ip4:203.0.113.0/27 ip4:203.0.113.64/27 ip4:203.0.113.128/25 -all"
      mail.example.com.   3600 IN A 203.0.113.200
      """;

  @Param({"pass", "fail"})
  public String outcome;

  private SpfVerifier verifier;
  private InetAddress client;

  @Setup
  public void setUp() throws Exception {
    CachingResolver dns = CachingResolver.builder(ZoneResolver.fromText(ZONE)).build();
    verifier = SpfVerifier.builder(dns).receiver("mx.example.org").build();
    client = InetAddress.getByName(outcome.equals("pass") ? "203.0.113.200" : "192.0.2.200");
    SpfResult expected = outcome.equals("pass") ? SpfResult.PASS : SpfResult.FAIL;
    SpfOutcome first = check();
    if (first.result() != expected) {
      throw new IllegalStateException("expected " + expected + ", got " + first);
    }
  }

  /** One MAIL FROM check, all DNS answers from the cache. */
  @Benchmark
  public SpfOutcome check() {
    return verifier
        .check(client, "alice@example.com", "mail.example.com")
        .toCompletableFuture()
        .join();
  }
}
