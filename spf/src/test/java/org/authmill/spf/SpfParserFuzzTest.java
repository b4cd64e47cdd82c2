package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.authmill.dns.ParseResult;

/**
 * {@link SpfParser} on any text: a value, never an exception; a record's terms parse back to
 * themselves one by one; the number of spaces between terms does not matter (RFC 7208 §4.6.1).
 */
class SpfParserFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse_anyText_recordOrInvalidWithItsTerm(byte[] input) {
    // TXT data as the resolver gives it: the record's bytes read as UTF-8.
    String text = new String(input, StandardCharsets.UTF_8);
    if (2 * text.length() > SpfParser.MAX_RECORD_LENGTH) {
      return; // DNS cannot carry it (SpfParserTest covers the bound)
    }
    ParseResult<SpfRecord> result = SpfParser.parse(text);
    assertThat(result).isNotNull();
    if (result.problem().isPresent()) {
      // "'term': reason", the term as written (when it holds nothing that is shown escaped)
      String problem = result.problem().get();
      assertThat(problem).startsWith("'").contains("': ");
      String term = problem.substring(1, problem.indexOf("': ", 1)); // the term may be ": "
      if (term.endsWith("...")) {
        term = term.substring(0, term.length() - 3); // a long term is quoted cut (Excerpt.cut)
      }
      if (!term.contains("\\")) {
        assertThat(text).contains(term);
      }
      return;
    }
    SpfRecord record = result.value().orElseThrow();
    assertThat(record.text()).isEqualTo(text);
    int dnsTerms = 0;
    for (Directive d : record.directives()) {
      // Each directive, alone in a record, parses to itself.
      ParseResult<SpfRecord> alone = SpfParser.parse("v=spf1 " + d.text());
      assertThat(alone).isInstanceOf(ParseResult.Parsed.class);
      assertThat(alone.value().orElseThrow().directives()).containsExactly(d);
      if (d.mechanism() instanceof Mechanism.Include
          || d.mechanism() instanceof Mechanism.A
          || d.mechanism() instanceof Mechanism.Mx
          || d.mechanism() instanceof Mechanism.Ptr
          || d.mechanism() instanceof Mechanism.Exists) {
        dnsTerms++;
      }
    }
    if (record.redirect().isPresent() && !record.hasAll()) {
      dnsTerms++; // RFC 7208 §6.1: redirect= is ignored when the record has "all"
    }
    assertThat(record.dnsTermCount()).isEqualTo(dnsTerms);
    // Doubling every space separates the same terms (1*SP between terms).
    ParseResult<SpfRecord> spaced = SpfParser.parse(text.replace(" ", "  "));
    assertThat(spaced).isInstanceOf(ParseResult.Parsed.class);
    SpfRecord other = spaced.value().orElseThrow();
    assertThat(other.directives()).isEqualTo(record.directives());
    assertThat(other.redirect()).isEqualTo(record.redirect());
    assertThat(other.explanation()).isEqualTo(record.explanation());
    assertThat(names(other.unknownModifiers())).isEqualTo(names(record.unknownModifiers()));
  }

  private static List<String> names(List<SpfRecord.UnknownModifier> modifiers) {
    return modifiers.stream().map(m -> m.name() + "=" + m.value()).toList();
  }
}
