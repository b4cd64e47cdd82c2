package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NegotiationTest {
  private static final MilterCommand.Negotiate POSTFIX =
      new MilterCommand.Negotiate(6, MilterProtocol.ALL_ACTIONS, MilterProtocol.ALL_PROTOCOL);

  @Test
  void answer_headersOnlyFilterAsksNotToBeSentTheEnvelopeNorToReplyToContent() {
    Negotiation n =
        Negotiation.answer(
            POSTFIX, EnumSet.of(MailEvent.CONNECT, MailEvent.HEADER), false, Map.of());
    assertThat(n.version()).isEqualTo(6);
    assertThat(n.actions()).isEqualTo(MilterProtocol.ADDHDRS | MilterProtocol.CHGHDRS);
    assertThat(n.protocol())
        .isEqualTo(
            MilterProtocol.NOHELO
                | MilterProtocol.NOMAIL
                | MilterProtocol.NORCPT
                | MilterProtocol.NOBODY
                | MilterProtocol.NOEOH
                | MilterProtocol.NOUNKNOWN
                | MilterProtocol.NODATA
                | MilterProtocol.NR_HDR
                | MilterProtocol.NR_EOH
                | MilterProtocol.NR_BODY
                | MilterProtocol.HDR_LEADSPC);
    assertThat(n.complete()).isTrue();
    assertThat(n.reply())
        .isEqualTo(new MilterReply.Negotiate(6, n.actions(), n.protocol(), Map.of()));
  }

  @Test
  void answer_quarantineAndMacrosAskedOnlyWhereOffered() {
    Map<Integer, String> macros = Map.of(MilterProtocol.STAGE_CONNECT, "{daemon_name}");
    Negotiation full = Negotiation.answer(POSTFIX, EnumSet.allOf(MailEvent.class), true, macros);
    assertThat(full.actions() & MilterProtocol.QUARANTINE).isNotZero();
    assertThat(full.actions() & MilterProtocol.SETSYMLIST).isNotZero();
    assertThat(full.macros()).isEqualTo(macros);
    assertThat(full.protocol() & MilterProtocol.NOMAIL).isZero();

    // An older MTA without SETSYMLIST or quarantine: asked for less, granted what it offers.
    Negotiation old =
        Negotiation.answer(
            new MilterCommand.Negotiate(
                2, MilterProtocol.ADDHDRS | MilterProtocol.CHGHDRS, MilterProtocol.NOHELO),
            EnumSet.allOf(MailEvent.class),
            true,
            macros);
    assertThat(old.version()).isEqualTo(2);
    assertThat(old.macros()).isEmpty();
    assertThat(old.actions()).isEqualTo(MilterProtocol.ADDHDRS | MilterProtocol.CHGHDRS);
    assertThat(old.wantedActions() & MilterProtocol.QUARANTINE).isNotZero();
    assertThat(old.protocol()).isZero();
    assertThat(old.complete()).isFalse();
  }

  @Test
  void answer_noDecisionsBeforeTheEnd_noReplyToConnectHeloMail() {
    // authmill's pipeline in its default configuration: everything but RCPT, verdicts only at the
    // end of the message. Postfix then waits for two replies per connection: O and end of message.
    Negotiation n =
        Negotiation.answer(
            POSTFIX,
            EnumSet.complementOf(EnumSet.of(MailEvent.RCPT)),
            EnumSet.noneOf(MailEvent.class),
            false,
            Map.of());
    assertThat(n.protocol())
        .isEqualTo(
            MilterProtocol.NORCPT
                | MilterProtocol.NOUNKNOWN
                | MilterProtocol.NODATA
                | MilterProtocol.NR_CONN
                | MilterProtocol.NR_HELO
                | MilterProtocol.NR_MAIL
                | MilterProtocol.NR_HDR
                | MilterProtocol.NR_EOH
                | MilterProtocol.NR_BODY
                | MilterProtocol.HDR_LEADSPC);
    // spf-fail: reject decides at MAIL: that one is answered again
    Negotiation mail =
        Negotiation.answer(
            POSTFIX,
            EnumSet.complementOf(EnumSet.of(MailEvent.RCPT)),
            EnumSet.of(MailEvent.MAIL),
            false,
            Map.of());
    assertThat(mail.protocol() & MilterProtocol.NR_MAIL).isZero();
    assertThat(mail.protocol() & (MilterProtocol.NR_CONN | MilterProtocol.NR_HELO))
        .isEqualTo(MilterProtocol.NR_CONN | MilterProtocol.NR_HELO);
  }

  @Test
  void answer_versionBelowTwoIsAProtocolError() {
    assertThatThrownBy(
            () ->
                Negotiation.answer(
                    new MilterCommand.Negotiate(1, 0, 0),
                    EnumSet.allOf(MailEvent.class),
                    false,
                    Map.of()))
        .isInstanceOf(MilterProtocolException.class)
        .hasMessageContaining("version 1 < 2");
  }
}
