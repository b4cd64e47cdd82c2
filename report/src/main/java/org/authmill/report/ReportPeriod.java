package org.authmill.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The reporting period: fixed-length intervals aligned to the Unix epoch, so a one-day period is a
 * UTC day beginning at 00:00 (RFC 9990 §3.1.1.4, the default); periods never overlap.
 *
 * @param length from one minute to seven days, in whole seconds
 */
public record ReportPeriod(Duration length) {
  /** One UTC day, RFC 9990's typical period. */
  public static final ReportPeriod UTC_DAY = new ReportPeriod(Duration.ofDays(1));

  public ReportPeriod {
    Objects.requireNonNull(length, "length");
    if (length.compareTo(Duration.ofMinutes(1)) < 0
        || length.compareTo(Duration.ofDays(7)) > 0
        || length.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "report period must be whole seconds from 1 minute to 7 days: " + length);
    }
  }

  /** The start (seconds since the epoch) of the period holding an instant. */
  public long startOf(Instant time) {
    long len = length.toSeconds();
    return Math.floorDiv(time.getEpochSecond(), len) * len;
  }

  /** The last second of the period that starts at {@code start}, as {@code date_range/end}. */
  public long endOf(long start) {
    return start + length.toSeconds() - 1;
  }
}
