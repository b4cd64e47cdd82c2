package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.authmill.server.client.MilterResult;
import org.authmill.server.milter.MilterReply;
import org.junit.jupiter.api.Test;

class MilterLoadTest {
  private static MilterResult result(MilterReply last, MilterReply... mods) {
    return new MilterResult("eom", last, List.of(mods), Optional.empty(), 0);
  }

  @Test
  void passed_insertedResultsWithDkimPass_true() {
    assertThat(
            MilterLoad.passed(
                result(
                    new MilterReply.Continue(),
                    new MilterReply.InsertHeader(
                        0, "Authentication-Results", " mx.test.local; dkim=pass header.d=x"))))
        .isTrue();
    assertThat(
            MilterLoad.passed(
                result(
                    new MilterReply.Accept(),
                    new MilterReply.AddHeader("authentication-results", "mx; dkim=pass"))))
        .isTrue();
  }

  @Test
  void passed_failOrOtherFieldOrRejected_false() {
    MilterReply fail =
        new MilterReply.InsertHeader(0, "Authentication-Results", "mx; dkim=fail header.d=x");
    assertThat(MilterLoad.passed(result(new MilterReply.Continue(), fail))).isFalse();
    MilterReply other = new MilterReply.AddHeader("X-Note", "dkim=pass");
    assertThat(MilterLoad.passed(result(new MilterReply.Continue(), other))).isFalse();
    MilterReply pass = new MilterReply.AddHeader("Authentication-Results", "mx; dkim=pass");
    assertThat(MilterLoad.passed(result(new MilterReply.Reject(), pass))).isFalse();
    assertThat(MilterLoad.passed(result(new MilterReply.Continue()))).isFalse();
  }
}
