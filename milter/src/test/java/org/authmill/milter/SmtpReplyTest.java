package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {
  @Test
  void toString_oneAndSeveralLines() {
    assertThat(SmtpReply.of(550, "5.7.1", "DMARC policy of example.com is reject").toString())
        .isEqualTo("550 5.7.1 DMARC policy of example.com is reject");
    assertThat(new SmtpReply(550, "5.7.1", List.of("a", "b")).toString())
        .isEqualTo("550-5.7.1 a\r\n550 5.7.1 b");
  }

  @Test
  void constructor_codeAndStatusMustAgree() {
    assertThatThrownBy(() -> SmtpReply.of(250, "2.0.0", "ok"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmtpReply.of(550, "4.7.1", "x"))
        .hasMessageContaining("does not match");
    assertThatThrownBy(() -> SmtpReply.of(550, "5.7", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmtpReply.of(550, "5.7.1", "a\r\nb")).hasMessageContaining("control");
    assertThatThrownBy(() -> new SmtpReply(550, "5.7.1", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SmtpReply.of(451, "4.7.1", "later").isTemporary()).isTrue();
  }
}
