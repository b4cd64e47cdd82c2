package org.authmill.auth.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.authmill.dns.ParseResult;

/**
 * The Authentication-Results parser and writer (RFC 8601 §2.2) on any field value: parsing gives a
 * value, never an exception; what is written is one safe line (or folded lines within RFC 5322's
 * 998) that parses back to itself; and the lenient authserv-id reader used to remove forged fields
 * (RFC 8601 §5) sees every authserv-id the full parser sees.
 */
class AuthenticationResultsFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse_anyFieldValue_writesBackToItself(byte[] input) {
    // A milter header value: one char per octet.
    String value = new String(input, StandardCharsets.ISO_8859_1);
    ParseResult<AuthenticationResults> parsed = AuthenticationResults.parse(value);
    if (parsed instanceof ParseResult.Invalid<AuthenticationResults> invalid) {
      assertThat(invalid.reason()).isNotBlank();
      return;
    }
    AuthenticationResults ar = parsed.value().orElseThrow();
    if (HeaderText.isToken(ar.authservId())) {
      assertThat(AuthenticationResults.claims(value, ar.authservId()))
          .as(
              "a field the parser reads as authserv-id %s must count as claiming it",
              ar.authservId())
          .isTrue();
      assertThat(AuthenticationResults.claims(value, ar.authservId().toUpperCase()))
          .as("compared case-insensitively")
          .isTrue();
    }
    String line = ar.toFieldValue();
    assertNoControl(line);
    AuthenticationResults again = reparse(line);
    assertThat(again.toFieldValue()).isEqualTo(line);
    assertThat(again.results()).hasSameSizeAs(ar.results());
    for (String lineBreak : new String[] {"\r\n", "\n"}) {
      String folded = ar.fold(AuthenticationResults.DEFAULT_LINE_WIDTH, lineBreak);
      String[] lines = folded.split(lineBreak, -1);
      for (int i = 0; i < lines.length; i++) {
        assertNoControl(lines[i].replace("\t", " "));
        assertThat(lines[i].length() + (i == 0 ? 24 : 0)).isLessThanOrEqualTo(998);
        if (i > 0) {
          assertThat(lines[i]).startsWith("\t");
        }
      }
      assertThat(reparse(folded).toFieldValue()).isEqualTo(line);
    }
  }

  private static AuthenticationResults reparse(String text) {
    ParseResult<AuthenticationResults> r = AuthenticationResults.parse(text);
    assertThat(r).as("written text parses: %s", text).isInstanceOf(ParseResult.Parsed.class);
    return r.value().orElseThrow();
  }

  private static void assertNoControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      assertThat(c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
          .as("control character U+%04X in %s", (int) c, text)
          .isFalse();
    }
  }
}
