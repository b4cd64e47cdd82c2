package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyMappingTest {
  private static final int ALL =
      MilterProtocol.ADDHDRS | MilterProtocol.CHGHDRS | MilterProtocol.QUARANTINE;
  private static final SmtpReply REPLY = SmtpReply.of(550, "5.7.1", "100% spam");

  @Test
  void verdict_eachActionMapsToItsFinalReply() {
    assertThat(ReplyMapping.verdict(Verdict.proceed(), true).replies())
        .containsExactly(new MilterReply.Continue());
    assertThat(ReplyMapping.verdict(Verdict.accept("ok"), true).replies())
        .containsExactly(new MilterReply.Accept());
    assertThat(ReplyMapping.verdict(Verdict.discard("junk"), true).replies())
        .containsExactly(new MilterReply.Discard());
    assertThat(
            ReplyMapping.verdict(
                    new Verdict(Verdict.Action.REJECT, java.util.Optional.empty(), ""), true)
                .replies())
        .containsExactly(new MilterReply.Reject());
    assertThat(
            ReplyMapping.verdict(
                    new Verdict(Verdict.Action.TEMPFAIL, java.util.Optional.empty(), ""), true)
                .replies())
        .containsExactly(new MilterReply.Tempfail());
  }

  @Test
  void verdict_replyTextGoesAsReplyCodeWithPercentDoubled() {
    ReplyMapping.Mapped m = ReplyMapping.verdict(Verdict.reject(REPLY, "test"), true);
    assertThat(m.replies()).hasSize(1);
    MilterReply.ReplyCode code = (MilterReply.ReplyCode) m.replies().get(0);
    assertThat(code.text()).isEqualTo("550 5.7.1 100%% spam");
    assertThat(m.warnings()).isEmpty();
  }

  @Test
  void verdict_discardOutsideAMessageIsContinueWithAWarning() {
    ReplyMapping.Mapped m = ReplyMapping.verdict(Verdict.discard("no"), false);
    assertThat(m.replies()).containsExactly(new MilterReply.Continue());
    assertThat(m.warnings()).containsExactly("discard is for messages only; answering continue");
  }

  @Test
  void fallback_followsTheErrorAction() {
    assertThat(ReplyMapping.fallback(MilterSettings.ErrorAction.ACCEPT))
        .isEqualTo(new MilterReply.Continue());
    assertThat(ReplyMapping.fallback(MilterSettings.ErrorAction.TEMPFAIL))
        .isEqualTo(new MilterReply.Tempfail());
  }

  @Test
  void decision_changesHighestOccurrenceFirstThenInsertsThenAddsThenQuarantineThenVerdict() {
    Decision d =
        Decision.proceed()
            .withChanges(
                List.of(
                    new HeaderChange.Add("X-Added", "a"),
                    new HeaderChange.Delete("Authentication-Results", 1),
                    new HeaderChange.Insert(0, "Authentication-Results", "mx; none"),
                    new HeaderChange.Change("Subject", 1, "new"),
                    new HeaderChange.Delete("authentication-results", 3)))
            .withQuarantine("held");
    ReplyMapping.Mapped m = ReplyMapping.decision(d, 6, ALL, MilterProtocol.HDR_LEADSPC);
    assertThat(m.replies())
        .containsExactly(
            new MilterReply.ChangeHeader(3, "authentication-results", ""),
            new MilterReply.ChangeHeader(1, "Authentication-Results", ""),
            new MilterReply.ChangeHeader(1, "Subject", " new"),
            new MilterReply.InsertHeader(0, "Authentication-Results", " mx; none"),
            new MilterReply.AddHeader("X-Added", " a"),
            new MilterReply.Quarantine("held"),
            new MilterReply.Continue());
    assertThat(m.warnings()).isEmpty();
  }

  @Test
  void decision_withoutLeadingSpaceNoPrefix_andBeforeVersion3InsertIsAppended() {
    Decision d = Decision.proceed().withChanges(List.of(new HeaderChange.Insert(0, "X-Test", "v")));
    assertThat(ReplyMapping.decision(d, 2, ALL, 0).replies())
        .containsExactly(new MilterReply.AddHeader("X-Test", "v"), new MilterReply.Continue());
    assertThat(ReplyMapping.decision(d, 6, ALL, 0).replies())
        .containsExactly(
            new MilterReply.InsertHeader(0, "X-Test", "v"), new MilterReply.Continue());
  }

  @Test
  void decision_whatTheMtaDidNotGrantIsLeftOutWithWarnings() {
    Decision d =
        Decision.proceed()
            .withChanges(
                List.of(new HeaderChange.Add("X-Added", "a"), new HeaderChange.Delete("X-Old", 1)))
            .withQuarantine("held");
    ReplyMapping.Mapped onlyAdd = ReplyMapping.decision(d, 6, MilterProtocol.ADDHDRS, 0);
    assertThat(onlyAdd.replies())
        .containsExactly(new MilterReply.AddHeader("X-Added", "a"), new MilterReply.Continue());
    assertThat(onlyAdd.warnings())
        .hasSize(2)
        .anyMatch(w -> w.startsWith("MTA did not grant CHGHDRS; skipping"))
        .anyMatch(
            w -> w.equals("quarantine asked but not negotiated with the MTA; delivering: held"));
    assertThat(ReplyMapping.decision(d, 6, 0, 0).warnings())
        .anyMatch(w -> w.startsWith("MTA did not grant ADDHDRS; skipping"));
  }

  @Test
  void decision_thatDoesNotDeliverSendsOnlyItsVerdict() {
    Decision d =
        Decision.of(Verdict.reject(REPLY, "policy"))
            .withChanges(List.of(new HeaderChange.Add("X-Added", "a")))
            .withQuarantine("held");
    ReplyMapping.Mapped m = ReplyMapping.decision(d, 6, ALL, 0);
    assertThat(m.replies()).hasSize(1).first().isInstanceOf(MilterReply.ReplyCode.class);
    assertThat(m.warnings()).isEmpty();
    assertThat(ReplyMapping.decision(Decision.of(Verdict.discard("x")), 6, ALL, 0).replies())
        .containsExactly(new MilterReply.Discard());
  }
}
