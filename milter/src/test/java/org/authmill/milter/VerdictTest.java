package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictTest {
  @Test
  void constructor_replyMustFitTheAction() {
    SmtpReply perm = SmtpReply.of(550, "5.7.1", "no");
    SmtpReply temp = SmtpReply.of(451, "4.7.1", "later");
    assertThat(Verdict.reject(perm, "r").reply()).contains(perm);
    assertThat(Verdict.tempfail(temp, "t").reply()).contains(temp);
    assertThatThrownBy(() -> Verdict.reject(temp, "r"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Verdict.tempfail(perm, "t"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Verdict(Verdict.Action.ACCEPT, Optional.of(perm), ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Verdict.PROCEED.toCompletableFuture().join()).isEqualTo(Verdict.proceed());
  }

  @Test
  void decision_deliversOnlyOnContinueOrAccept() {
    assertThat(Decision.proceed().delivers()).isTrue();
    assertThat(Decision.of(Verdict.accept("x")).delivers()).isTrue();
    assertThat(Decision.of(Verdict.discard("x")).delivers()).isFalse();
    assertThatThrownBy(() -> Decision.proceed().withQuarantine(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void macros_namesNormalisedWithoutBraces() {
    Macros m = new Macros(java.util.Map.of("{daemon_name}", "ORIGINATING", "i", "ABC"));
    assertThat(m.get("daemon_name")).contains("ORIGINATING");
    assertThat(m.get("{daemon_name}")).contains("ORIGINATING");
    assertThat(m.queueId()).contains("ABC");
    assertThat(m.get("auth_authen")).isEmpty();
    assertThat(Macros.normalise("{")).isEqualTo("{");
  }
}
