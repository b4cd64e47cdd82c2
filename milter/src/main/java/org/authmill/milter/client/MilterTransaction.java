package org.authmill.milter.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One mail transaction to send through a milter as Postfix would: MAIL, RCPT..., the message's
 * headers and body, end-of-message, then ABORT.
 *
 * @param sender the MAIL FROM address without brackets ({@code ""} for the null sender)
 * @param recipients the RCPT TO addresses without brackets
 * @param message the message
 * @param queueId the MTA's queue id, sent as macro {@code i} from RCPT on
 * @param mailMacros extra MAIL-stage macros, such as {@code {auth_authen}}
 * @param chunkSize the body chunk size, 1 to 65535 (Postfix: 65535)
 */
public record MilterTransaction(
    String sender,
    List<String> recipients,
    MilterMessage message,
    String queueId,
    Map<String, String> mailMacros,
    int chunkSize) {

  /** Validates and copies. */
  public MilterTransaction {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(queueId, "queueId");
    recipients = List.copyOf(recipients);
    mailMacros = Map.copyOf(mailMacros);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a transaction needs a recipient");
    }
    if (chunkSize < 1 || chunkSize > 65535) {
      throw new IllegalArgumentException("chunk size must be 1 to 65535: " + chunkSize);
    }
  }

  /** A transaction with Postfix's chunking and no extra macros. */
  public static MilterTransaction of(
      String sender, List<String> recipients, byte[] message, String queueId) {
    return new MilterTransaction(
        sender, recipients, MilterMessage.parse(message), queueId, Map.of(), 65535);
  }

  /** This transaction with other MAIL-stage macros. */
  public MilterTransaction withMailMacros(Map<String, String> macros) {
    return new MilterTransaction(sender, recipients, message, queueId, macros, chunkSize);
  }

  /** This transaction with another body chunk size. */
  public MilterTransaction withChunkSize(int size) {
    return new MilterTransaction(sender, recipients, message, queueId, mailMacros, size);
  }
}
