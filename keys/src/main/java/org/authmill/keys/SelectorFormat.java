package org.authmill.keys;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Set;

/**
 * Makes selectors for new keys from a pattern: {@code %Y} (year), {@code %m} (month), {@code %d}
 * (day, all UTC), {@code %a} (the algorithm: {@code rsa} or {@code ed25519}) and {@code %%}; the
 * default {@code %a-%Y%m%d} gives {@code ed25519-20261203}. A selector already used for the domain
 * gets a suffix {@code -2}, {@code -3}, ... The result must be a DNS label sequence (RFC 6376
 * §3.1).
 */
public record SelectorFormat(String pattern) {
  /** The default pattern. */
  public static final String DEFAULT = "%a-%Y%m%d";

  /** Validates: the pattern must give a valid selector. */
  public SelectorFormat {
    Objects.requireNonNull(pattern, "pattern");
    String sample = expand(pattern, KeyAlgorithm.RSA, Instant.EPOCH);
    if (!isSelector(sample)) {
      throw new IllegalArgumentException(
          "selector format " + pattern + " gives " + sample + ", not a valid selector");
    }
  }

  /** The default format. */
  public static SelectorFormat defaults() {
    return new SelectorFormat(DEFAULT);
  }

  /** The selector for a key made at {@code now}, not one of {@code taken}. */
  public String next(KeyAlgorithm algorithm, Instant now, Set<String> taken) {
    String base = expand(pattern, algorithm, now);
    String candidate = base;
    for (int n = 2; taken.contains(candidate); n++) {
      candidate = base + "-" + n;
    }
    return candidate;
  }

  /** True when {@code s} is a valid selector: dot-separated labels of letters, digits, - and _. */
  public static boolean isSelector(String s) {
    return s.length() <= 63
        && s.matches(
            "[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9])?)*");
  }

  private static String expand(String pattern, KeyAlgorithm algorithm, Instant now) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c != '%' || i + 1 == pattern.length()) {
        out.append(c);
        continue;
      }
      char f = pattern.charAt(++i);
      switch (f) {
        case 'Y' -> out.append(String.format("%04d", t.getYear()));
        case 'm' -> out.append(String.format("%02d", t.getMonthValue()));
        case 'd' -> out.append(String.format("%02d", t.getDayOfMonth()));
        case 'a' -> out.append(algorithm.keyword());
        case '%' -> out.append('%');
        default ->
            throw new IllegalArgumentException(
                "selector format " + pattern + ": unknown %" + f + " (use %Y %m %d %a)");
      }
    }
    return out.toString();
  }
}
