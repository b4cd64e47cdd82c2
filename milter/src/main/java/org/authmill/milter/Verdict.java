package org.authmill.milter;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a filter says about one SMTP event: go on, accept, reject, defer or discard, with a reason
 * for the log. A reject or tempfail may carry the SMTP reply to give (RFC 5321 §4.2, RFC 3463);
 * without one the MTA uses its own ({@code 550 5.7.1} or {@code 451 4.7.1} in Postfix).
 *
 * @param action what to do
 * @param reply the SMTP reply for {@link Action#REJECT} (5xx) or {@link Action#TEMPFAIL} (4xx)
 * @param reason why, in words an operator can act on ({@code ""} for a plain continue)
 */
public record Verdict(Action action, Optional<SmtpReply> reply, String reason) {
  /** Go on, as a completed stage: the usual answer. */
  public static final CompletionStage<Verdict> PROCEED =
      CompletableFuture.completedFuture(new Verdict(Action.CONTINUE, Optional.empty(), ""));

  /** What to do with the connection, message or recipient. */
  public enum Action {
    /** Go on; deliver unless something later says otherwise. */
    CONTINUE,
    /** Accept, and send this filter nothing more for the message (or connection). */
    ACCEPT,
    /** Reject: the recipient, the message, or (at connect and HELO) the session. */
    REJECT,
    /** Reject temporarily; the client retries later. */
    TEMPFAIL,
    /** Accept the message and drop it silently (message stages only). */
    DISCARD
  }

  /** Validates: a reply only for reject (5xx) and tempfail (4xx). */
  public Verdict {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reply, "reply");
    Objects.requireNonNull(reason, "reason");
    if (reply.isPresent()) {
      boolean temporary = reply.get().isTemporary();
      if (action == Action.REJECT && temporary || action == Action.TEMPFAIL && !temporary) {
        throw new IllegalArgumentException(action + " cannot carry the reply " + reply.get());
      }
      if (action != Action.REJECT && action != Action.TEMPFAIL) {
        throw new IllegalArgumentException(action + " carries no SMTP reply");
      }
    }
  }

  /** Go on. */
  public static Verdict proceed() {
    return new Verdict(Action.CONTINUE, Optional.empty(), "");
  }

  /** Accept, with a reason for the log. */
  public static Verdict accept(String reason) {
    return new Verdict(Action.ACCEPT, Optional.empty(), reason);
  }

  /** Reject with a 5xx reply, such as {@code SmtpReply.of(550, "5.7.1", "...")}. */
  public static Verdict reject(SmtpReply reply, String reason) {
    return new Verdict(Action.REJECT, Optional.of(reply), reason);
  }

  /** Reject temporarily with a 4xx reply. */
  public static Verdict tempfail(SmtpReply reply, String reason) {
    return new Verdict(Action.TEMPFAIL, Optional.of(reply), reason);
  }

  /** Accept and silently drop. */
  public static Verdict discard(String reason) {
    return new Verdict(Action.DISCARD, Optional.empty(), reason);
  }

  /** This verdict as a completed stage. */
  public CompletionStage<Verdict> completed() {
    return CompletableFuture.completedFuture(this);
  }
}
