package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageLogTest {
  private static MessageState message() {
    MessageState m = new MessageState();
    m.sender = "a@example.com";
    m.recipients = 2;
    m.headers = 3;
    m.bodyBytes = 42;
    return m;
  }

  @Test
  void line_namesTheEnvelopeTheActionTheChangesAndTheDetails() throws Exception {
    ClientInfo client =
        new ClientInfo("c.example", Optional.of(InetAddress.getByName("192.0.2.1")), 25);
    Decision d =
        Decision.proceed()
            .withChanges(List.of(new HeaderChange.Add("X-A", "1")))
            .withDetail("spf", "pass");
    List<MilterReply> replies =
        List.of(new MilterReply.AddHeader("X-A", " 1"), new MilterReply.Continue());
    MessageState m = message();
    String line =
        MessageLog.line(
            m, "Q1", client, "helo.example", 0, "continue", d, replies, m.startNanos + 5_000_000);
    assertThat(line)
        .isEqualTo(
            "queue_id=Q1 client=192.0.2.1 helo=helo.example from=<a@example.com> rcpts=2"
                + " headers=3 body_bytes=42 action=continue changes=1 spf=pass ms=5 filter_ms=0");
  }

  @Test
  void line_envelopeNegotiatedAwayIsShownAsADash_failureAndSettledAreNamed() {
    MessageState m = message();
    m.failed = true;
    m.failure = "timeout in eom: x";
    String line =
        MessageLog.line(
            m,
            "-",
            null,
            "",
            MilterProtocol.NOMAIL | MilterProtocol.NORCPT,
            "error-accept",
            null,
            List.of(),
            m.startNanos);
    assertThat(line)
        .startsWith("queue_id=- client=- helo=- from=- rcpts=- headers=3")
        .contains(" action=error-accept failure=\"timeout in eom: x\" ms=0");
  }

  @Test
  void field_controlCharactersCannotStartALineOrReachTheTerminal() {
    StringBuilder b = new StringBuilder();
    MessageLog.field(b, "reason", "a\nb\u001b[31m \"q\"=");
    assertThat(b.toString()).isEqualTo(" reason=\"a\\nb\\x1B[31m \\\"q\\\"=\"");
    assertThat(MessageLog.loggable("ok\r\n")).isEqualTo("ok\\x0D\\x0A");
    assertThat(MessageLog.loggable("plain")).isEqualTo("plain");
  }

  @Test
  void actionName_quarantineWhenADeliveringDecisionHoldsTheMessage() {
    assertThat(MessageLog.actionName(Decision.proceed().withQuarantine("held")))
        .isEqualTo("quarantine");
    assertThat(MessageLog.actionName(Decision.of(Verdict.discard("x")))).isEqualTo("discard");
    assertThat(MessageLog.errorAction(MilterSettings.ErrorAction.TEMPFAIL))
        .isEqualTo("error-tempfail");
  }
}
