package org.authmill.milter;

import java.util.List;
import java.util.Locale;

/**
 * The one log line per message (logger {@code org.authmill.server.message}): {@code key=value}
 * fields, quoted where needed, with control characters escaped so that text from a message or the
 * DNS can neither start a new log line nor reach the operator's terminal raw.
 */
final class MessageLog {
  private MessageLog() {}

  /**
   * The line for a message.
   *
   * @param queueId the MTA's queue id (macro {@code i}), or "-"
   * @param client the client, or null before CONNECT
   * @param protocol the negotiated protocol flags (NOMAIL and NORCPT leave the envelope unknown)
   * @param action the final action's name
   * @param decision the filter's decision, or null when there was none
   * @param replies the replies sent at end-of-message (modifications are counted)
   * @param nowNanos {@link System#nanoTime()} now
   */
  static String line(
      MessageState msg,
      String queueId,
      ClientInfo client,
      String helo,
      int protocol,
      String action,
      Decision decision,
      List<MilterReply> replies,
      long nowNanos) {
    StringBuilder line = new StringBuilder();
    field(line, "queue_id", queueId);
    field(line, "client", client == null ? "-" : client.describe());
    field(line, "helo", helo.isEmpty() ? "-" : helo);
    // Events negotiated away (NOMAIL, NORCPT) leave the envelope unknown: shown as "-".
    field(line, "from", (protocol & MilterProtocol.NOMAIL) != 0 ? "-" : "<" + msg.sender + ">");
    field(
        line,
        "rcpts",
        (protocol & MilterProtocol.NORCPT) != 0 ? "-" : Integer.toString(msg.recipients));
    if (msg.rejectedRecipients > 0) {
      field(line, "rcpts_rejected", Integer.toString(msg.rejectedRecipients));
    }
    field(line, "headers", Integer.toString(msg.headers));
    field(line, "body_bytes", Long.toString(msg.bodyBytes));
    field(line, "action", action);
    if (decision != null) {
      if (!decision.verdict().reason().isEmpty()) {
        field(line, "reason", decision.verdict().reason());
      }
      decision.verdict().reply().ifPresent(r -> field(line, "reply", r.toString()));
      decision.quarantine().ifPresent(q -> field(line, "quarantine", q));
      long changes =
          replies.stream()
              .filter(r -> !r.isFinal() && !(r instanceof MilterReply.Quarantine))
              .count();
      field(line, "changes", Long.toString(changes));
      decision.details().forEach((k, v) -> field(line, k, v));
    }
    if (msg.failed) {
      field(line, "failure", msg.failure);
    }
    if (msg.settled) {
      field(line, "settled", msg.settledBy);
    }
    field(line, "ms", Long.toString((nowNanos - msg.startNanos) / 1_000_000));
    field(line, "filter_ms", Long.toString(msg.filterNanos / 1_000_000));
    return line.substring(1);
  }

  /** The action a decision names in the line: its verdict's, or quarantine. */
  static String actionName(Decision d) {
    if (d.delivers() && d.quarantine().isPresent()) {
      return "quarantine";
    }
    return d.verdict().action().name().toLowerCase(Locale.ROOT);
  }

  /** The action when the filter failed: {@code error-accept} or {@code error-tempfail}. */
  static String errorAction(MilterSettings.ErrorAction errorAction) {
    return "error-" + errorAction.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Appends {@code key=value}, quoted when the value holds white space, a quote or '='. Control
   * characters (CR, LF, ESC...) are written as {@code \\n} or {@code \\xNN}.
   */
  static void field(StringBuilder line, String key, String value) {
    line.append(' ').append(key).append('=');
    boolean quote =
        value.isEmpty()
            || value
                .chars()
                .anyMatch(c -> c <= ' ' || c == '"' || c == '=' || c >= 0x7F && c <= 0x9F);
    if (!quote) {
      line.append(value);
      return;
    }
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '"') {
        line.append('\\').append(c);
      } else if (c == '\n') {
        line.append("\\n");
      } else if (c < 0x20 && c != ' ' || c == 0x7F || c >= 0x80 && c <= 0x9F) {
        line.append(String.format("\\x%02X", (int) c));
      } else {
        line.append(c);
      }
    }
    line.append('"');
  }

  /** The text with control characters written as {@code \\xNN}, for a log line. */
  static String loggable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || c >= 0x7F && c <= 0x9F;
      if (control && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (control) {
          out.append(String.format("\\x%02X", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }
}
