package org.authmill.report;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * At most {@code max} failure reports per key (a policy domain, a destination address) in each
 * fixed window of time (RFC 9991 §4.1 and §7.1 ask for a rate limit). Counts are kept in memory by
 * each filter instance; the map is emptied at each new window, so it holds at most one window's
 * keys.
 */
final class FailureRateLimit {
  private final int max;
  private final long windowMillis;
  private final Clock clock;
  private final Map<String, Integer> counts = new HashMap<>();
  private long windowStart = Long.MIN_VALUE;

  FailureRateLimit(int max, Duration window, Clock clock) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
    this.windowMillis = window.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Takes one report for the key; false when the key has used up this window's reports. */
  synchronized boolean tryAcquire(String key) {
    long now = clock.millis();
    long start = Math.floorDiv(now, windowMillis) * windowMillis;
    if (start != windowStart) {
      windowStart = start;
      counts.clear();
    }
    int used = counts.getOrDefault(key, 0);
    if (used >= max) {
      return false;
    }
    counts.put(key, used + 1);
    return true;
  }
}
