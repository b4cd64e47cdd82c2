package org.authmill.bench;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * authmill against Apache James jDKIM on rsa-sha256, interleaved as {@link PairedFloorBenchmark}
 * does: each operation verifies (resp. signs) the message once with each, in alternating order, and
 * times each side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PairedJdkimBenchmark {
  @Param({"4096", "102400"})
  public int bodySize;

  private final DkimBenchmark authmill = new DkimBenchmark();
  private final JdkimBenchmark jdkim = new JdkimBenchmark();
  private boolean authmillFirst;

  @Setup
  public void setUp() throws Exception {
    authmill.bodySize = bodySize;
    authmill.algorithm = "rsa";
    authmill.setUp();
    jdkim.bodySize = bodySize;
    jdkim.setUp();
  }

  @Benchmark
  public void verify(PairedCounters counters, Blackhole blackhole) throws Exception {
    authmillFirst = !authmillFirst;
    counters.time(authmillFirst, authmill::verify, jdkim::verify, blackhole);
  }

  @Benchmark
  public void sign(PairedCounters counters, Blackhole blackhole) throws Exception {
    authmillFirst = !authmillFirst;
    counters.time(authmillFirst, authmill::sign, jdkim::sign, blackhole);
  }
}
