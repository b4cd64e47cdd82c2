package org.authmill.milter;

import java.util.EnumSet;
import java.util.Set;

/**
 * Makes one {@link MailFilter} per MTA connection, and tells the server which events its filters
 * need, so that the server asks the MTA for nothing more (milter option negotiation): every event
 * not asked for is a round trip saved.
 */
public interface MailFilterFactory {

  /** A new filter for a new connection. */
  MailFilter create();

  /**
   * The events the filters want; the MTA is asked not to send the others. {@link MailEvent#CONNECT}
   * and end-of-message always come. Default: all.
   */
  default Set<MailEvent> events() {
    return EnumSet.allOf(MailEvent.class);
  }

  /**
   * The events at which the filters may end the transaction or the connection, that is return a
   * {@link Verdict} other than proceed ({@link MailEvent#CONNECT}, {@link MailEvent#HELO}, {@link
   * MailEvent#MAIL}, {@link MailEvent#RCPT}); at the others the MTA is asked not to wait for a
   * reply ({@code SMFIP_NR_*}), which saves it a round trip per event. End of message is always
   * answered. Default: all four (every verdict is sent).
   */
  default Set<MailEvent> decisions() {
    return EnumSet.of(MailEvent.CONNECT, MailEvent.HELO, MailEvent.MAIL, MailEvent.RCPT);
  }

  /**
   * True when a {@link Decision} may hold a message (quarantine): the server then asks the MTA for
   * that right as well as for adding and changing headers.
   */
  default boolean quarantines() {
    return false;
  }
}
