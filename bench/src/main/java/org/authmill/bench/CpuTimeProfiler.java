package org.authmill.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler ({@code -prof org.authmill.bench.CpuTimeProfiler}) that reports CPU time per
 * operation in each iteration: {@code cpu.time.norm}, the CPU time of the benchmark's worker
 * threads, and {@code cpu.process.norm}, that of the whole benchmark JVM (the workers plus the
 * garbage collector and the JIT compiler), both in µs/op.
 *
 * <p>On a machine shared with other work, wall-clock time per operation grows with the time the
 * worker waits for a core; the worker's CPU time does much less, so the ratios are computed from it
 * when it is there.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private Map<Long, Long> workersAtStart = Map.of();
  private long processAtStart;

  @Override
  public String getDescription() {
    return "CPU time per operation: JMH worker threads, and the whole JVM (µs/op)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    workersAtStart = workerCpuTimes();
    processAtStart = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long process = os.getProcessCpuTime() - processAtStart;
    long workers = 0;
    for (Map.Entry<Long, Long> worker : workerCpuTimes().entrySet()) {
      workers += worker.getValue() - workersAtStart.getOrDefault(worker.getKey(), 0L);
    }
    long ops = result.getMetadata().getAllOps();
    if (ops <= 0 || workers <= 0) {
      return List.of();
    }
    return List.of(
        new ScalarResult("cpu.time.norm", workers / 1e3 / ops, "us/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.process.norm", process / 1e3 / ops, "us/op", AggregationPolicy.AVG));
  }

  /** CPU time (ns) of each live JMH worker thread, by thread id. */
  private Map<Long, Long> workerCpuTimes() {
    Map<Long, Long> out = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("jmh-worker")) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          out.put(info.getThreadId(), cpu);
        }
      }
    }
    return out;
  }
}
