package org.authmill.bench.load;

import java.util.Arrays;

/**
 * Recorded latencies (nanoseconds) and their percentiles by the nearest-rank method: the p-th
 * percentile of n sorted values is the value at rank ⌈p/100 · n⌉. Every value is kept (a run
 * records at most some hundred thousand), so percentiles are exact. Not thread-safe: one event loop
 * records.
 */
public final class Latencies {
  private long[] values = new long[1024];
  private int size;
  private boolean sorted = true;

  /** Records one latency. */
  public void record(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("a latency is not negative: " + nanos);
    }
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
    sorted = false;
  }

  /** How many were recorded. */
  public int count() {
    return size;
  }

  /**
   * The p-th percentile (0 < p ≤ 100) in nanoseconds, by nearest rank.
   *
   * @throws IllegalStateException if nothing was recorded
   */
  public long percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("a percentile is above 0 and at most 100: " + p);
    }
    if (size == 0) {
      throw new IllegalStateException("no latency recorded");
    }
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
    // The tolerance keeps binary rounding from pushing an exact rank up: 99.9 / 100 * 1000 is
    // 999.0000000000001 in doubles, and the p99.9 of 1,000 values is the 999th.
    int rank = (int) Math.ceil(p / 100 * size - 1e-9);
    return values[Math.max(1, Math.min(size, rank)) - 1];
  }

  /** The p-th percentile in milliseconds. */
  public double percentileMillis(double p) {
    return percentile(p) / 1e6;
  }
}
