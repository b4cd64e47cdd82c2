package org.authmill.auth.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderTextTest {
  @Test
  void sanitize_controlsAndLineBreaks_becomeSpaces() {
    assertThat(HeaderText.sanitize("a\r\nb\u0000c\u007fd\u0085e\u2028f\tg"))
        .isEqualTo("a  b c d e f g");
    assertThat(HeaderText.sanitize("  x  ")).isEqualTo("x");
  }

  @Test
  void asciiText_nonAscii_questionMarks() {
    assertThat(HeaderText.asciiText("bücher\r\n")).isEqualTo("b?cher");
  }

  @Test
  void value_tokenOrQuoted() {
    assertThat(HeaderText.value("example.com")).isEqualTo("example.com");
    assertThat(HeaderText.value("two words")).isEqualTo("\"two words\"");
    assertThat(HeaderText.value("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(HeaderText.value("x;y")).isEqualTo("\"x;y\"");
    assertThat(HeaderText.value("bücher.example")).isEqualTo("\"bücher.example\"");
  }

  @Test
  void propertyValue_addressesUnquoted() {
    assertThat(HeaderText.propertyValue("user@example.com")).isEqualTo("user@example.com");
    assertThat(HeaderText.propertyValue("@example.com")).isEqualTo("@example.com");
    assertThat(HeaderText.propertyValue("a b@example.com")).isEqualTo("\"a b@example.com\"");
    assertThat(HeaderText.propertyValue("ab/cd=")).isEqualTo("\"ab/cd=\"");
    assertThat(HeaderText.isAddress("x@")).isFalse();
    assertThat(HeaderText.isAddress("a..b@example.com")).isFalse();
  }

  @Test
  void comment_parenthesesEscaped() {
    assertThat(HeaderText.comment("a (b) \\ c\n")).isEqualTo("(a \\(b\\) \\\\ c)");
  }

  @Test
  void isToken_tspecialsAndSpace_rejected() {
    assertThat(HeaderText.isToken("rsa-sha256")).isTrue();
    assertThat(HeaderText.isToken("")).isFalse();
    for (char c : "()<>@,;:\\\"/[]?= ".toCharArray()) {
      assertThat(HeaderText.isToken("a" + c + "b")).as(String.valueOf(c)).isFalse();
    }
  }
}
