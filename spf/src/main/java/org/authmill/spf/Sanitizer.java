package org.authmill.spf;

/**
 * Makes text that came from the DNS or from a client safe to print and to put in a header field: no
 * CR, LF or other control characters, only printable US-ASCII (RFC 5322 §2.2, RFC 7208 §9.1).
 */
final class Sanitizer {
  /** Text longer than this is cut with "..." in reasons and header fields. */
  static final int MAX_SHOWN = 200;

  private Sanitizer() {}

  /** Printable ASCII kept; anything else written as {@code \xNN} or {@code \\uNNNN}; capped. */
  static String printable(String text) {
    return printable(text, MAX_SHOWN);
  }

  /** As {@link #printable(String)}, capped at {@code max} characters. */
  static String printable(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
    for (int i = 0; i < text.length(); i++) {
      if (out.length() >= max) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      if (c >= 0x20 && c <= 0x7e) {
        out.append(c);
      } else if (c < 0x100) {
        out.append(String.format("\\x%02X", (int) c));
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    return out.toString();
  }
}
