package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MilterTraceTest {
  @Test
  void command_namesTheMtaCodes() {
    assertThat(MilterTrace.command('O')).isEqualTo("optneg");
    assertThat(MilterTrace.command('E')).isEqualTo("eom");
    assertThat(MilterTrace.command('L')).isEqualTo("header");
    assertThat(MilterTrace.command('D')).isEqualTo("macro");
    assertThat(MilterTrace.command('?')).isEqualTo("other_?");
  }

  @Test
  void answers_finalRepliesOnly_notChangesOrProgress() {
    for (char c : "Ocartdys".toCharArray()) {
      assertThat(MilterTrace.answers(c)).as("%s", c).isTrue();
    }
    for (char c : "himpq+-be".toCharArray()) {
      assertThat(MilterTrace.answers(c)).as("%s", c).isFalse();
    }
  }
}
