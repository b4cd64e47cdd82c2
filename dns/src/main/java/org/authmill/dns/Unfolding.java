package org.authmill.dns;

import java.util.regex.Pattern;

/**
 * Header field unfolding (RFC 5322 §2.2.3), as the From: reader in {@code dmarc} and the
 * Authentication-Results parser in {@code auth} both need it: a line break followed by white space
 * is removed, and any other CR or LF becomes a space. It sits in {@code dns} because that is the
 * one module below both.
 */
public final class Unfolding {
  /** A line break that folds: CRLF or LF before white space. */
  private static final Pattern FOLD = Pattern.compile("\r?\n(?=[ \t])");

  private Unfolding() {}

  /** The value unfolded; a value without CR or LF is returned as it is, without a regex. */
  public static String unfold(String value) {
    if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return FOLD.matcher(value).replaceAll("").replace('\r', ' ').replace('\n', ' ');
  }
}
