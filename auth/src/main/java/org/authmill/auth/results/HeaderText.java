package org.authmill.auth.results;

import org.authmill.dns.Excerpt;

/**
 * Makes text safe to write into a header field (RFC 5322 §2.2, RFC 8601 §2.2): text from the DNS or
 * from a message can never inject a line break or a control character.
 *
 * <p>{@link #sanitize} removes what may never appear; {@link #asciiText} also replaces non-ASCII
 * characters, for comments and reasons; {@link #value} writes an RFC 2045 token or, when needed, an
 * RFC 5322 quoted-string.
 */
public final class HeaderText {
  private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  /**
   * The most characters of a reason or comment that the clause builders write ({@link
   * #reason(String)}): enough for the operator to act on, short enough for a header field.
   */
  public static final int MAX_REASON_LENGTH = 120;

  private HeaderText() {}

  /**
   * A verdict's reason as a result's reason or comment: {@link #asciiText}, with "§" spelled out
   * (non-ASCII would become "?"), cut to {@link #MAX_REASON_LENGTH} characters.
   */
  public static String reason(String text) {
    return Excerpt.cut(asciiText(text.replace("§", "section ")), MAX_REASON_LENGTH);
  }

  /**
   * The text with every control character (C0, DEL, C1), and the Unicode line and paragraph
   * separators, replaced by a space; leading and trailing white space removed.
   */
  public static String sanitize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(isControl(c) ? ' ' : c);
    }
    return out.toString().strip();
  }

  /**
   * As {@link #sanitize}, and every character outside printable ASCII becomes {@code ?}: for
   * comments and reasons, which need not be exact.
   */
  public static String asciiText(String text) {
    String clean = sanitize(text);
    StringBuilder out = new StringBuilder(clean.length());
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      out.append(c >= 0x20 && c <= 0x7e ? c : '?');
    }
    return out.toString();
  }

  /** The longest prefix of the text that is an RFC 2045 §5.1 token (maybe empty). */
  static String tokenPrefix(String text) {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c <= 0x20 || c >= 0x7f || TSPECIALS.indexOf(c) >= 0) {
        break;
      }
      i++;
    }
    return text.substring(0, i);
  }

  /** True for an RFC 2045 §5.1 token: printable ASCII without space and tspecials. */
  public static boolean isToken(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c >= 0x7f || TSPECIALS.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * True for the address form of an RFC 8601 {@code pvalue}: {@code [local-part] "@" domain-name}
   * with a dot-atom local part, written without quotes.
   */
  public static boolean isAddress(String text) {
    int at = text.lastIndexOf('@');
    if (at < 0) {
      return false;
    }
    String local = text.substring(0, at);
    String domain = text.substring(at + 1);
    return (local.isEmpty() || isDotAtom(local)) && isDotAtom(domain);
  }

  /** An RFC 8601 value: the text as a token when it is one, else as a quoted-string. */
  public static String value(String text) {
    String clean = sanitize(text);
    return isToken(clean) ? clean : quoted(clean);
  }

  /** An RFC 8601 pvalue: a token or an address as is, anything else as a quoted-string. */
  public static String propertyValue(String text) {
    String clean = sanitize(text);
    return isToken(clean) || isAddress(clean) ? clean : quoted(clean);
  }

  /** An RFC 5322 quoted-string with {@code "} and {@code \} escaped. */
  public static String quoted(String text) {
    String clean = sanitize(text);
    StringBuilder out = new StringBuilder(clean.length() + 2).append('"');
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  /** An RFC 5322 comment with {@code (}, {@code )} and {@code \} escaped, ASCII only. */
  public static String comment(String text) {
    String clean = asciiText(text);
    StringBuilder out = new StringBuilder(clean.length() + 2).append('(');
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      if (c == '(' || c == ')' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append(')').toString();
  }

  private static boolean isDotAtom(String text) {
    if (text.isEmpty() || text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean atext =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || ATEXT_SPECIALS.indexOf(c) >= 0;
      if (!atext) {
        return false;
      }
    }
    return true;
  }

  static boolean isControl(char c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
