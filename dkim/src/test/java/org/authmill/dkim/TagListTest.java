package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TagListTest {
  @Test
  void parse_whitespaceAndTrailingSemicolon() throws Exception {
    TagList tags = TagList.parse(" v = 1 ;\r\n\ta=rsa-sha256;  h = from : to ; ");
    assertThat(tags.get("v")).isEqualTo("1");
    assertThat(tags.get("a")).isEqualTo("rsa-sha256");
    assertThat(TagList.colonList(tags.get("h"))).containsExactly("from", "to");
    assertThat(tags.names()).containsExactly("v", "a", "h");
  }

  @Test
  void parse_duplicateTag_isInvalid() {
    assertThatThrownBy(() -> TagList.parse("v=1; v=1"))
        .isInstanceOf(TagList.SyntaxException.class)
        .hasMessageContaining("duplicate tag v=");
  }

  @Test
  void parse_tagWithoutEquals_isInvalid() {
    assertThatThrownBy(() -> TagList.parse("v=1; junk")).hasMessageContaining("tag without '='");
  }

  @Test
  void parse_badTagName_isInvalid() {
    assertThatThrownBy(() -> TagList.parse("1v=1")).hasMessageContaining("invalid tag name");
  }

  @Test
  void parse_caseSensitiveNames() throws Exception {
    TagList tags = TagList.parse("V=1");
    assertThat(tags.get("v")).isNull();
    assertThat(tags.get("V")).isEqualTo("1");
  }

  @Test
  void base64_ignoresFoldingAndRejectsGarbage() {
    assertThat(TagList.base64("aGVs\r\n bG8=")).containsExactly('h', 'e', 'l', 'l', 'o');
    assertThat(TagList.base64("not base64!")).isNull();
    assertThat(TagList.base64("")).isEmpty();
  }
}
