package org.authmill.milter;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An SMTP reply the MTA gives its client when a filter rejects or defers: a reply code (RFC 5321
 * §4.2), an enhanced status code (RFC 3463; RFC 7372 §3 names {@code 5.7.1} etc. for authentication
 * failures) and one or more lines of text, such as {@code 550 5.7.1 DMARC policy of example.com
 * says reject}.
 */
public record SmtpReply(int code, String status, List<String> lines) {
  private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  /** Validates: a 4xx or 5xx code, a status of the same class, printable single lines. */
  public SmtpReply {
    Objects.requireNonNull(status, "status");
    lines = List.copyOf(lines);
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("reply code must be 4xx or 5xx: " + code);
    }
    if (!STATUS.matcher(status).matches() || status.charAt(0) - '0' != code / 100) {
      throw new IllegalArgumentException(
          "enhanced status " + status + " does not match reply code " + code);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one line of text");
    }
    for (String line : lines) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c < 0x20 || c == 0x7F) {
          throw new IllegalArgumentException("reply text holds a control character: " + line);
        }
      }
    }
  }

  /** A one-line reply. */
  public static SmtpReply of(int code, String status, String text) {
    return new SmtpReply(code, status, List.of(text));
  }

  /** True for a 4xx (temporary) reply. */
  public boolean isTemporary() {
    return code < 500;
  }

  /**
   * The reply as SMTP shows it: {@code 550 5.7.1 text}, or for several lines {@code 550-5.7.1
   * a\r\n550 5.7.1 b}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        sb.append("\r\n");
      }
      sb.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(status);
      if (!lines.get(i).isEmpty()) {
        sb.append(' ').append(lines.get(i));
      }
    }
    return sb.toString();
  }
}
