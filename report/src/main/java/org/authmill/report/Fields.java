package org.authmill.report;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Checks of the text values a report carries: bounded, printable, no separators. */
final class Fields {
  /** The longest value kept: a domain name's 253 octets plus room for a long selector. */
  static final int MAX_TOKEN = 255;

  private Fields() {}

  /**
   * A value that becomes one element's text: at most 255 characters, no control characters (the
   * store keeps lists of them separated by tab and newline).
   */
  static String token(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.length() > MAX_TOKEN) {
      throw new IllegalArgumentException(what + " longer than " + MAX_TOKEN + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(what + " holds a control character: " + value.strip());
      }
    }
    return value;
  }

  /** A lower-case keyword from a set. */
  static String keyword(String value, Set<String> allowed, String what) {
    Objects.requireNonNull(value, what);
    String lower = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      throw new IllegalArgumentException(
          "not a " + what + ": " + value + " (expected one of " + allowed + ")");
    }
    return lower;
  }

  /** Free text for a comment: control characters become spaces, bounded to 255 characters. */
  static String comment(String value) {
    StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_TOKEN));
    for (int i = 0; i < value.length() && b.length() < MAX_TOKEN; i++) {
      char c = value.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    return b.toString();
  }
}
