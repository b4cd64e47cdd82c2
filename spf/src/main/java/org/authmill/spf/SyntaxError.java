package org.authmill.spf;

/**
 * A syntax error inside the SPF parser; it never leaves the package, where it becomes a {@link
 * org.authmill.dns.ParseResult.Invalid} value (RFC 7208 §4.6: syntax errors are permerror).
 */
final class SyntaxError extends Exception {
  private static final long serialVersionUID = 1L;

  SyntaxError(String message) {
    super(message, null, false, false);
  }
}
