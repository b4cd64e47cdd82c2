package org.authmill.dns;

/**
 * The part of untrusted text (a tag value, a From: field, a TXT record) that a reason quotes: the
 * engines name the offending text in their verdicts, and a verdict must stay readable and bounded
 * however long the text was. One rule for every engine; header fields apply their own on top (the
 * Authentication-Results writer's {@code HeaderText} in {@code auth}).
 */
public final class Excerpt {
  /** The most characters of untrusted text that a reason quotes, "..." included. */
  public static final int MAX_LENGTH = 80;

  private static final String ELLIPSIS = "...";

  private Excerpt() {}

  /**
   * The text with every ASCII control character (C0 and DEL) shown as {@code ?}, cut to {@link
   * #MAX_LENGTH} characters.
   */
  public static String of(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 1));
    for (int i = 0; i < text.length() && out.length() <= MAX_LENGTH; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return cut(out.toString(), MAX_LENGTH);
  }

  /**
   * The text as it is when it has at most {@code max} characters, else its first {@code max - 3}
   * characters and "...". The one place text is cut, for the engines' reasons and for header fields
   * alike.
   */
  public static String cut(String text, int max) {
    if (max < ELLIPSIS.length()) {
      throw new IllegalArgumentException("max must leave room for \"...\": " + max);
    }
    return text.length() <= max ? text : text.substring(0, max - ELLIPSIS.length()) + ELLIPSIS;
  }
}
