package org.authmill.milter;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Option negotiation (the milter O command) as a pure function: what the filter asks the MTA for
 * (header changes, quarantine if its decisions may hold a message, the macros configured, and no
 * event its filters do not read, none of them waiting for a reply but the verdict steps), cut down
 * to what the MTA offers.
 *
 * @param version the protocol version both speak (at most {@link MilterProtocol#VERSION})
 * @param actions the actions granted
 * @param protocol the protocol flags agreed
 * @param wantedActions the actions asked for
 * @param wantedProtocol the protocol flags asked for
 * @param macros the macros to request (version 6 and an MTA offering SETSYMLIST only)
 */
record Negotiation(
    int version,
    int actions,
    int protocol,
    int wantedActions,
    int wantedProtocol,
    Map<Integer, String> macros) {

  /** True when the MTA granted everything asked for. */
  boolean complete() {
    return actions == wantedActions && protocol == wantedProtocol;
  }

  /** The reply to the MTA. */
  MilterReply.Negotiate reply() {
    return new MilterReply.Negotiate(version, actions, protocol, macros);
  }

  /**
   * Answers an offer.
   *
   * @throws MilterProtocolException for an MTA older than version 2
   */
  static Negotiation answer(
      MilterCommand.Negotiate offer,
      Set<MailEvent> events,
      boolean quarantines,
      Map<Integer, String> requestMacros) {
    return answer(
        offer,
        events,
        EnumSet.of(MailEvent.CONNECT, MailEvent.HELO, MailEvent.MAIL, MailEvent.RCPT),
        quarantines,
        requestMacros);
  }

  /**
   * Answers an offer for filters that return verdicts other than proceed only at {@code decisions}:
   * the MTA is asked not to wait for the reply to every other envelope event it sends ({@code
   * NR_CONN}, {@code NR_HELO}, {@code NR_MAIL}, {@code NR_RCPT}), as for content events.
   *
   * @throws MilterProtocolException for an MTA older than version 2
   */
  static Negotiation answer(
      MilterCommand.Negotiate offer,
      Set<MailEvent> events,
      Set<MailEvent> decisions,
      boolean quarantines,
      Map<Integer, String> requestMacros) {
    if (offer.version() < 2) {
      throw new MilterProtocolException("MTA speaks milter version " + offer.version() + " < 2");
    }
    int version = Math.min(offer.version(), MilterProtocol.VERSION);
    int wantActions = MilterProtocol.ADDHDRS | MilterProtocol.CHGHDRS;
    if (quarantines) {
      wantActions |= MilterProtocol.QUARANTINE;
    }
    Map<Integer, String> macroRequest = Map.of();
    if (!requestMacros.isEmpty() && (offer.actions() & MilterProtocol.SETSYMLIST) != 0) {
      wantActions |= MilterProtocol.SETSYMLIST;
      macroRequest = requestMacros;
    }
    int wantProtocol =
        MilterProtocol.NOUNKNOWN
            | MilterProtocol.NODATA
            | MilterProtocol.NR_HDR
            | MilterProtocol.NR_EOH
            | MilterProtocol.NR_BODY
            | MilterProtocol.HDR_LEADSPC;
    if (!events.contains(MailEvent.HELO)) {
      wantProtocol |= MilterProtocol.NOHELO;
    }
    if (!events.contains(MailEvent.MAIL)) {
      wantProtocol |= MilterProtocol.NOMAIL;
    }
    if (!events.contains(MailEvent.RCPT)) {
      wantProtocol |= MilterProtocol.NORCPT;
    }
    if (!events.contains(MailEvent.HEADER)) {
      wantProtocol |= MilterProtocol.NOHDRS;
    }
    if (!events.contains(MailEvent.END_OF_HEADERS)) {
      wantProtocol |= MilterProtocol.NOEOH;
    }
    if (!events.contains(MailEvent.BODY)) {
      wantProtocol |= MilterProtocol.NOBODY;
    }
    if (!decisions.contains(MailEvent.CONNECT)) {
      wantProtocol |= MilterProtocol.NR_CONN;
    }
    if (events.contains(MailEvent.HELO) && !decisions.contains(MailEvent.HELO)) {
      wantProtocol |= MilterProtocol.NR_HELO;
    }
    if (events.contains(MailEvent.MAIL) && !decisions.contains(MailEvent.MAIL)) {
      wantProtocol |= MilterProtocol.NR_MAIL;
    }
    if (events.contains(MailEvent.RCPT) && !decisions.contains(MailEvent.RCPT)) {
      wantProtocol |= MilterProtocol.NR_RCPT;
    }
    return new Negotiation(
        version,
        wantActions & offer.actions(),
        wantProtocol & offer.protocol(),
        wantActions,
        wantProtocol,
        version >= 6 ? macroRequest : Map.of());
  }
}
