package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnfoldingTest {
  @Test
  void unfold_noLineBreak_sameValue() {
    String value = " Alice <alice@example.com>";
    assertThat(Unfolding.unfold(value)).isSameAs(value);
  }

  @Test
  void unfold_foldedLines_joinedKeepingTheWhiteSpace() {
    assertThat(Unfolding.unfold(" a@example.com,\r\n\tb@example.org,\n c@example.net"))
        .isEqualTo(" a@example.com,\tb@example.org, c@example.net");
  }

  @Test
  void unfold_bareBreaks_becomeSpaces() {
    assertThat(Unfolding.unfold("a\r\nb\rc\nd")).isEqualTo("a  b c d");
  }
}
