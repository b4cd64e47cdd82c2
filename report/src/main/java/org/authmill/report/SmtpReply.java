package org.authmill.report;

import java.util.Objects;

/**
 * The outcome of one SMTP submission: the last reply code and text (RFC 5321 §4.2), or code 0 when
 * the relay could not be reached or the session broke.
 *
 * @param code the three-digit reply code, 0 for a connection failure
 * @param text the reply text (or the failure)
 */
public record SmtpReply(int code, String text) {
  public SmtpReply {
    Objects.requireNonNull(text, "text");
  }

  /** A connection failure, retried like a 4xx reply. */
  static SmtpReply unreachable(String why) {
    return new SmtpReply(0, why);
  }

  /** 2xx: the relay accepted the message (RFC 5321 §4.2.1). */
  public boolean accepted() {
    return code >= 200 && code < 300;
  }

  /** 5xx: a permanent failure. */
  public boolean permanent() {
    return code >= 500 && code < 600;
  }

  /** 4xx, a connection failure or anything unexpected: try again later. */
  public boolean transientFailure() {
    return !accepted() && !permanent();
  }

  @Override
  public String toString() {
    return code == 0 ? text : code + " " + text;
  }
}
