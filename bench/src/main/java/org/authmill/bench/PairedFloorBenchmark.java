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
 * authmill against the cryptographic floor, interleaved: each operation runs one authmill DKIM
 * verification (resp. signature, RFC 6376 §6 and §5) and one of {@link FloorBenchmark}, in
 * alternating order, and times each side. On a machine shared with other work the load changes from
 * second to second; interleaving at the scale of one message exposes both sides to the same load,
 * so their ratio holds where separate runs drift.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PairedFloorBenchmark {
  @Param({"4096", "102400"})
  public int bodySize;

  @Param({"rsa", "ed25519"})
  public String algorithm;

  private final DkimBenchmark authmill = new DkimBenchmark();
  private final FloorBenchmark floor = new FloorBenchmark();
  private boolean authmillFirst;

  @Setup
  public void setUp() throws Exception {
    authmill.bodySize = bodySize;
    authmill.algorithm = algorithm;
    authmill.setUp();
    floor.bodySize = bodySize;
    floor.algorithm = algorithm;
    floor.setUp();
  }

  @Benchmark
  public void verify(PairedCounters counters, Blackhole blackhole) throws Exception {
    authmillFirst = !authmillFirst;
    counters.time(authmillFirst, authmill::verify, floor::verify, blackhole);
  }

  @Benchmark
  public void sign(PairedCounters counters, Blackhole blackhole) throws Exception {
    authmillFirst = !authmillFirst;
    counters.time(authmillFirst, authmill::sign, floor::sign, blackhole);
  }
}
