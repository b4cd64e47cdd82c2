package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExcerptTest {
  @Test
  void of_shortText_keptWithControlsShown() {
    assertThat(Excerpt.of("v=DKIM2")).isEqualTo("v=DKIM2");
    assertThat(Excerpt.of("a\r\nb\u007fc\td")).isEqualTo("a??b?c?d");
    assertThat(Excerpt.of("caf\u00e9")).isEqualTo("caf\u00e9");
  }

  @Test
  void of_longText_cutToMaxLength() {
    String cut = Excerpt.of("x".repeat(10_000));
    assertThat(cut).hasSize(Excerpt.MAX_LENGTH).endsWith("...");
    assertThat(Excerpt.of("y".repeat(Excerpt.MAX_LENGTH)))
        .isEqualTo("y".repeat(Excerpt.MAX_LENGTH));
  }

  @Test
  void cut_atTheLimit() {
    assertThat(Excerpt.cut("abcdef", 6)).isEqualTo("abcdef");
    assertThat(Excerpt.cut("abcdefg", 6)).isEqualTo("abc...");
    assertThatThrownBy(() -> Excerpt.cut("abc", 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
