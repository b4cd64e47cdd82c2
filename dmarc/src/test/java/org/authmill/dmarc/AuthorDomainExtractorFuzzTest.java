package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * From: author-domain extraction (RFC 9989 §5.3.1) on any field values: a value, never an
 * exception; domains in normal form and within the bounds; a single domain only from a single
 * well-formed field; and the same answer whether the milter hands over the field values or the
 * command line reads the message.
 */
class AuthorDomainExtractorFuzzTest {
  private static final AuthorDomainExtractor EXTRACTOR = AuthorDomainExtractor.withDefaults();

  @FuzzTest(maxDuration = "30s")
  void fromFieldValues_anyValues_boundedAndAsFromTheMessage(byte[] input) {
    // One to three From: values separated by NUL.
    List<String> values = new ArrayList<>();
    for (String v : new String(input, StandardCharsets.UTF_8).split("\0", 3)) {
      values.add(headerValue(v));
    }
    int count = values.size();
    AuthorDomains domains = EXTRACTOR.fromFieldValues(values);
    assertThat(domains.fromFields()).isEqualTo(count);
    assertThat(domains.domains())
        .hasSizeLessThanOrEqualTo(AuthorDomainExtractor.DEFAULT_MAX_DOMAINS);
    for (String d : domains.domains()) {
      assertThat(d.length()).isLessThanOrEqualTo(253);
      assertThat(d).isEqualTo(d.toLowerCase(java.util.Locale.ROOT)).doesNotEndWith(".");
    }
    if (domains.isSingle()) {
      assertThat(count).isEqualTo(1);
      assertThat(domains.problems()).isEmpty();
    }
    if (count != 1) {
      assertThat(domains.wellFormed()).isFalse();
      return;
    }
    StringBuilder message = new StringBuilder();
    message.append("From:").append(values.get(0)).append("\r\nSubject: x\r\n\r\nbody\r\n");
    AuthorDomains fromMessage =
        EXTRACTOR.fromMessage(message.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(fromMessage.domains()).isEqualTo(domains.domains());
    assertThat(fromMessage.wellFormed()).isEqualTo(domains.wellFormed());
  }

  /**
   * The text as a header field value can hold it: line breaks only as CRLF before white space
   * (folding), and only what survives UTF-8 (the message path reads UTF-8).
   */
  private static String headerValue(String text) {
    String utf8 = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < utf8.length(); i++) {
      char c = utf8.charAt(i);
      if (c == '\r' || c == '\n') {
        boolean fold =
            c == '\r'
                && i + 2 < utf8.length()
                && utf8.charAt(i + 1) == '\n'
                && (utf8.charAt(i + 2) == ' ' || utf8.charAt(i + 2) == '\t');
        if (fold) {
          out.append("\r\n");
          i++;
        } else {
          out.append(' ');
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
