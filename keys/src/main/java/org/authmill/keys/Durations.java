package org.authmill.keys;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads durations as operators write them: {@code 180d}, {@code 12h}, {@code 30m}, {@code 45s}, or
 * ISO 8601 ({@code P7D}, {@code PT12H}).
 */
public final class Durations {
  private Durations() {}

  /** The duration, naming the bad text otherwise. */
  public static Duration parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw bad(text);
      }
    }
    if (!t.matches("\\d{1,9}[smhdw]")) {
      throw bad(text);
    }
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      case 'd' -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  /** The duration in the short form {@link #parse} reads, such as {@code 180d} or {@code 90s}. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException(
        "duration " + text + ": expected a number and s, m, h, d or w (such as 180d), or ISO 8601");
  }
}
