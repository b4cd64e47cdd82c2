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

  @Test
  void base64_misplacedPaddingOrOutsideTheAlphabet_isNull() {
    assertThat(TagList.base64("aGVs=bG8=")).isNull();
    assertThat(TagList.base64("aGVs\u00e9bG8=")).isNull();
    assertThat(TagList.base64("aGVs-bG8=")).isNull();
    assertThat(TagList.base64(" \t\r\n")).isEmpty();
  }

  @Test
  void stripWhitespace_removesFoldingWhitespaceOnly() {
    String plain = "abc;def";
    assertThat(TagList.stripWhitespace(plain)).isSameAs(plain);
    assertThat(TagList.stripWhitespace(" a\r\n\tb c ")).isEqualTo("abc");
    assertThat(TagList.stripWhitespace("\u0100 x")).isEqualTo("\u0100x");
    assertThat(TagList.stripWhitespace("\r\n ")).isEmpty();
  }

  @Test
  void parse_emptyTagSpecBetweenSemicolons_isInvalid() throws Exception {
    // RFC 6376 §3.2: tag-list = tag-spec *( ";" tag-spec ) [ ";" ]; only the last may be empty
    assertThatThrownBy(() -> TagList.parse("v=1;; a=rsa-sha256"))
        .isInstanceOf(TagList.SyntaxException.class)
        .hasMessageContaining("empty tag");
    assertThatThrownBy(() -> TagList.parse("v=1; ; ")).isInstanceOf(TagList.SyntaxException.class);
    assertThat(TagList.parse("v=1; \r\n ").names()).containsExactly("v");
    assertThat(TagList.parse("v=1;").names()).containsExactly("v");
  }

  @Test
  void strictBase64_needsPaddingAndPlacesItLast() {
    // RFC 6376 §2.4 refers to RFC 2045 §6.8: groups of four, "=" only to pad the last group
    assertThat(TagList.strictBase64("aGVs\r\n bG8=")).containsExactly('h', 'e', 'l', 'l', 'o');
    assertThat(TagList.strictBase64("aGVsbG8")).isNull();
    assertThat(TagList.strictBase64("aGVs=bG8")).isNull();
    assertThat(TagList.strictBase64("aGVsbG8===")).isNull();
    assertThat(TagList.strictBase64("aGVsbA==")).containsExactly('h', 'e', 'l', 'l');
    assertThat(TagList.strictBase64("aGV!bA==")).isNull();
  }

  @Test
  void quotedPrintable_decodesHexOctetsAndRejectsBrokenEscapes() {
    // RFC 6376 §2.11 dkim-quoted-printable
    assertThat(TagList.quotedPrintable("jo=3Dhn=20doe@example.com"))
        .isEqualTo("jo=hn doe@example.com");
    assertThat(TagList.quotedPrintable("caf=C3=A9@example.com")).isEqualTo("caf\u00e9@example.com");
    assertThat(TagList.quotedPrintable("plain@example.com")).isEqualTo("plain@example.com");
    assertThat(TagList.quotedPrintable("jo=hn@example.com")).isNull();
    assertThat(TagList.quotedPrintable("john=4@example.com")).isNull();
    assertThat(TagList.quotedPrintable("john=")).isNull();
  }

  @Test
  void encodeQuotedPrintable_escapesWhatIsNotSafe() {
    assertThat(TagList.encodeQuotedPrintable("jo=hn doe;x@example.com"))
        .isEqualTo("jo=3Dhn=20doe=3Bx@example.com");
    assertThat(TagList.encodeQuotedPrintable("caf\u00e9@example.com"))
        .isEqualTo("caf=C3=A9@example.com");
    assertThat(TagList.encodeQuotedPrintable("\"a.b\"+tag@example.com"))
        .isEqualTo("\"a.b\"+tag@example.com");
  }

  @Test
  void utf8_readsOctetsAsUtf8OrKeepsThem() {
    String octets =
        new String(
            "b\u00fccher".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(TagList.utf8(octets)).isEqualTo("b\u00fccher");
    assertThat(TagList.utf8("plain")).isEqualTo("plain");
    assertThat(TagList.utf8("caf\u00e9")).isEqualTo("caf\u00e9"); // not UTF-8: kept
  }
}
