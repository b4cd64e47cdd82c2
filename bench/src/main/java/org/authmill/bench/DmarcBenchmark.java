package org.authmill.bench;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.authmill.dmarc.AuthorDomains;
import org.authmill.dmarc.DkimCheck;
import org.authmill.dmarc.DmarcEvaluator;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.dmarc.DmarcResult;
import org.authmill.dmarc.SpfCheck;
import org.authmill.dns.CachingResolver;
import org.authmill.dns.ZoneResolver;
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
 * DMARC evaluation (RFC 9989 §5.3) on a warm DNS cache ({@link CachingResolver} over {@link
 * ZoneResolver}): policy discovery for the Author Domain and relaxed alignment, which needs the
 * Organizational Domain of each authenticated identifier (the DNS tree walk of §4.10.2). {@code
 * pass}: SPF passed for a subdomain of the Author Domain and DKIM for the Author Domain. {@code
 * fail}: both passed for a third party's domain, so p=reject applies.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DmarcBenchmark {
  static final String ZONE =
      """
      _dmarc.example.com. 3600 IN TXT "v=DMARC1; p=reject; sp=quarantine; adkim=r; aspf=r; rua=mailto:dmarc-reports@example.com"
      _dmarc.example.net. 3600 IN TXT "v=DMARC1; p=none"
      example.com.        3600 IN A   192.0.2.1
      example.net.        3600 IN A   192.0.2.2
      """;

  @Param({"pass", "fail"})
  public String outcome;

  private DmarcEvaluator evaluator;
  private AuthorDomains author;
  private Optional<SpfCheck> spf;
  private List<DkimCheck> dkim;

  @Setup
  public void setUp() {
    CachingResolver dns = CachingResolver.builder(ZoneResolver.fromText(ZONE)).build();
    evaluator = DmarcEvaluator.builder(dns).build();
    author = AuthorDomains.of("example.com");
    if (outcome.equals("pass")) {
      spf = Optional.of(new SpfCheck("bounces.example.com", "pass"));
      dkim = List.of(new DkimCheck("example.com", "sel", "pass"));
    } else {
      spf = Optional.of(new SpfCheck("mailer.example.net", "pass"));
      dkim = List.of(new DkimCheck("mailer.example.net", "sel", "pass"));
    }
    DmarcResult expected = outcome.equals("pass") ? DmarcResult.PASS : DmarcResult.FAIL;
    DmarcOutcome first = evaluate();
    if (first.result() != expected) {
      throw new IllegalStateException("expected " + expected + ", got " + first);
    }
  }

  /** One evaluation, all DNS answers from the cache. */
  @Benchmark
  public DmarcOutcome evaluate() {
    return evaluator.evaluate(author, spf, dkim).toCompletableFuture().join();
  }
}
