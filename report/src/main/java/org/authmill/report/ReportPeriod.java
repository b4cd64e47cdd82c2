package org.authmill.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The reporting period: fixed-length intervals aligned to the Unix epoch, so a one-day period is a
 * UTC day beginning at 00:00 (RFC 9990 §3.1.1.4, the default); periods never overlap.
 *
 * <p>The length divides a day evenly (one minute up to 24 hours: {@code 1h}, {@code 4h}, {@code
 * 1d}, ...) or is a whole number of days up to seven, so every period begins at a whole minute and
 * every UTC day begins a period or lies inside one. A length such as 7 minutes or 5 hours would
 * give periods straddling midnight, whose reports cover parts of two days; it is refused.
 *
 * @param length one minute to seven days, dividing a day evenly or a whole number of days
 */
public record ReportPeriod(Duration length) {
  /** One UTC day, RFC 9990's typical period. */
  public static final ReportPeriod UTC_DAY = new ReportPeriod(Duration.ofDays(1));

  private static final long DAY = 86_400;

  public ReportPeriod {
    Objects.requireNonNull(length, "length");
    if (length.compareTo(Duration.ofMinutes(1)) < 0
        || length.compareTo(Duration.ofDays(7)) > 0
        || length.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "report period must be from 1m to 7d in whole seconds, got " + text(length));
    }
    long s = length.toSeconds();
    if (s < DAY ? DAY % s != 0 : s % DAY != 0) {
      throw new IllegalArgumentException(
          "report period must divide a day evenly (such as 1h, 4h, 6h or 1d) or be whole days up to"
              + " 7d, got "
              + text(length)
              + " (periods begin at 00:00 UTC)");
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

  /** A length as the configuration writes it: {@code 1d}, {@code 4h}, {@code 90s}. */
  static String text(Duration d) {
    if (d.toNanosPart() != 0 || d.isNegative()) {
      return d.toString();
    }
    long s = d.toSeconds();
    if (s != 0 && s % DAY == 0) {
      return s / DAY + "d";
    }
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
