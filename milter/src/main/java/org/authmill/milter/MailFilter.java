package org.authmill.milter;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One filter for one MTA connection (one SMTP session), which may carry several messages. The
 * server calls it strictly in order, never concurrently, and waits for each returned stage before
 * the next call; so it may keep per-connection and per-message state in plain fields.
 *
 * <p>Every callback returns quickly and does slow work asynchronously (DNS, crypto off the event
 * loop). A callback that throws, completes exceptionally, or takes longer than the configured
 * handler deadline yields the server's configured default action (normally: deliver the message
 * unchanged), and the filter hears nothing more about that message but {@link #abort()}.
 *
 * <p>Text comes as the MTA sent it: each {@code char} of a string is one octet of the wire
 * (ISO-8859-1), so raw bytes survive for DKIM hashing ({@code s.getBytes(ISO_8859_1)}), and UTF-8
 * text (SMTPUTF8) is recovered with {@code new String(s.getBytes(ISO_8859_1), UTF_8)}. The same
 * octet convention holds for the header values a filter returns in {@link HeaderChange}s.
 *
 * <p>Message events follow RFC 5321 §3.3 and the milter order: {@link #mailFrom}, {@link #rcpt}
 * (once per recipient), {@link #header} (once per field, in order), {@link #endOfHeaders}, {@link
 * #body} (chunks split anywhere), {@link #endOfMessage}; then the next message or {@link #close()}.
 * {@link #abort()} ends a message that will not reach {@link #endOfMessage}.
 */
public interface MailFilter {

  /** The SMTP client connected; at most once per filter, first. */
  default CompletionStage<Verdict> connect(ClientInfo client, Macros macros) {
    return Verdict.PROCEED;
  }

  /** HELO or EHLO with its argument; may come more than once per connection. */
  default CompletionStage<Verdict> helo(String name, Macros macros) {
    return Verdict.PROCEED;
  }

  /**
   * MAIL FROM: starts a message.
   *
   * @param sender the reverse-path without its angle brackets, {@code ""} for the null sender
   * @param esmtpArgs the ESMTP parameters that followed it (such as {@code SIZE=1234})
   */
  default CompletionStage<Verdict> mailFrom(String sender, List<String> esmtpArgs, Macros macros) {
    return Verdict.PROCEED;
  }

  /**
   * RCPT TO, once per recipient. A rejecting verdict rejects only this recipient.
   *
   * @param recipient the forward-path without its angle brackets
   */
  default CompletionStage<Verdict> rcpt(String recipient, List<String> esmtpArgs, Macros macros) {
    return Verdict.PROCEED;
  }

  /**
   * One header field, in message order (the MTA hides its own topmost {@code Received:}).
   *
   * @param name the field name as received
   * @param value everything after the colon as received, leading whitespace included; folded lines
   *     are joined by a bare LF (turn it into CRLF to rebuild the field for DKIM)
   */
  default CompletionStage<Void> header(String name, String value) {
    return DONE;
  }

  /** The end of the header section. */
  default CompletionStage<Void> endOfHeaders(Macros macros) {
    return DONE;
  }

  /**
   * A chunk of the body as it will be delivered: CRLF line ends, no dot-stuffing, split anywhere
   * (even inside a CRLF pair). The buffer is read-only and belongs to the filter.
   */
  default CompletionStage<Void> body(ByteBuffer chunk) {
    return DONE;
  }

  /** The message is complete: what to do with it, and which header changes to make. */
  CompletionStage<Decision> endOfMessage(Macros macros);

  /**
   * The current message ended without (or after a failed) {@link #endOfMessage}: the client reset,
   * disconnected, or the message was rejected earlier. Reset per-message state.
   */
  default void abort() {}

  /** The connection ended; release what the filter holds. Called exactly once. */
  default void close() {}

  /** A completed stage for the void callbacks. */
  CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
}
