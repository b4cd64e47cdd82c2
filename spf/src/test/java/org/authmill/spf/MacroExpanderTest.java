package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The macro examples of RFC 7208 §7.4, and the expansion rules of §7.3. */
class MacroExpanderTest {
  private static final MacroContext V4 =
      new MacroContext(
          "strong-bad@email.example.com",
          "strong-bad",
          "email.example.com",
          "email.example.com",
          SuiteZone.address("192.0.2.3"),
          "mx.example.org",
          "unknown",
          "mx.receiver.test",
          Instant.ofEpochSecond(1_700_000_000L));

  private static String expand(String spec, MacroContext ctx) throws SyntaxError {
    return MacroExpander.expand(MacroString.parse(spec, MacroString.Kind.EXPLANATION), ctx);
  }

  @Test
  void expand_rfc7208Section74Examples() throws SyntaxError {
    assertThat(expand("%{s}", V4)).isEqualTo("strong-bad@email.example.com");
    assertThat(expand("%{o}", V4)).isEqualTo("email.example.com");
    assertThat(expand("%{d}", V4)).isEqualTo("email.example.com");
    assertThat(expand("%{d4}", V4)).isEqualTo("email.example.com");
    assertThat(expand("%{d3}", V4)).isEqualTo("email.example.com");
    assertThat(expand("%{d2}", V4)).isEqualTo("example.com");
    assertThat(expand("%{d1}", V4)).isEqualTo("com");
    assertThat(expand("%{dr}", V4)).isEqualTo("com.example.email");
    assertThat(expand("%{d2r}", V4)).isEqualTo("example.email");
    assertThat(expand("%{l}", V4)).isEqualTo("strong-bad");
    assertThat(expand("%{l-}", V4)).isEqualTo("strong.bad");
    assertThat(expand("%{lr}", V4)).isEqualTo("strong-bad");
    assertThat(expand("%{lr-}", V4)).isEqualTo("bad.strong");
    assertThat(expand("%{l1r-}", V4)).isEqualTo("strong");
    assertThat(expand("%{ir}.%{v}._spf.%{d2}", V4)).isEqualTo("3.2.0.192.in-addr._spf.example.com");
    assertThat(expand("%{lr-}.lp._spf.%{d2}", V4)).isEqualTo("bad.strong.lp._spf.example.com");
    assertThat(expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", V4))
        .isEqualTo("3.2.0.192.in-addr.strong.lp._spf.example.com");
    assertThat(expand("%{d2}.trusted-domains.example.net", V4))
        .isEqualTo("example.com.trusted-domains.example.net");
  }

  @Test
  void expand_ipv6ExampleUsesLowerCaseNibbles() throws SyntaxError {
    MacroContext v6 =
        new MacroContext(
            "strong-bad@email.example.com",
            "strong-bad",
            "email.example.com",
            "email.example.com",
            SuiteZone.address("2001:db8::cb01"),
            "mx.example.org",
            "unknown",
            "unknown",
            Instant.EPOCH);
    assertThat(expand("%{ir}.%{v}._spf.%{d2}", v6))
        .isEqualTo(
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
    assertThat(expand("%{c}", v6)).isEqualTo("2001:db8::cb01");
  }

  @Test
  void expand_explanationLettersAndEscapes() throws SyntaxError {
    assertThat(expand("%{c} %{r} %{t} %% %_ %-", V4))
        .isEqualTo("192.0.2.3 mx.receiver.test 1700000000 %   %20");
  }

  @Test
  void expand_upperCaseLetterUrlEscapes() throws SyntaxError {
    MacroContext c = V4.withDomain("x.example.com");
    MacroContext odd =
        new MacroContext(
            "~jack&jill=up-a_b3.c@e.example.com",
            "~jack&jill=up-a_b3.c",
            "e.example.com",
            "e.example.com",
            c.ip(),
            "h",
            "unknown",
            "unknown",
            Instant.EPOCH);
    assertThat(expand("%{L}", odd)).isEqualTo("~jack%26jill%3Dup-a_b3.c");
  }

  @Test
  void expandDomain_dropsTrailingDotAndTruncatesTo253() throws SyntaxError {
    MacroString spec = MacroString.parse("%{d2}.example.net.", MacroString.Kind.DOMAIN_SPEC);
    assertThat(MacroExpander.expandDomain(spec, V4)).isEqualTo("example.com.example.net");
    String label = "a".repeat(60);
    String longName = (label + ".").repeat(5) + "example.com";
    String truncated = MacroExpander.truncate(longName);
    assertThat(truncated.length()).isLessThanOrEqualTo(253);
    assertThat(longName).endsWith(truncated);
    assertThat(truncated).startsWith(label);
  }

  @Test
  void truncate_removesWholeLabelsFromTheLeftOnly() {
    String name253 = "b".repeat(61) + "." + ("c".repeat(63) + ".").repeat(2) + "d".repeat(63);
    assertThat(name253).hasSize(253);
    assertThat(MacroExpander.truncate(name253)).isEqualTo(name253);
    assertThat(MacroExpander.truncate(name253 + ".")).isEqualTo(name253);
    assertThat(MacroExpander.truncate("x." + name253)).isEqualTo(name253);
    assertThat(MacroExpander.truncate("xy" + name253)).isEqualTo(name253.substring(62));
    // a single label longer than 253 cannot be cut at a dot and stays too long
    assertThat(MacroExpander.truncate("a".repeat(300))).isEqualTo("a".repeat(300));
    assertThat(MacroExpander.truncate("a.".repeat(100_000) + "example.com"))
        .hasSize(253)
        .endsWith(".example.com")
        .startsWith("a.");
  }

  private static MacroContext sender(String localPart) {
    return new MacroContext(
        localPart + "@e.example.com",
        localPart,
        "e.example.com",
        "e.example.com",
        SuiteZone.address("192.0.2.3"),
        "h.example.org",
        "unknown",
        "unknown",
        Instant.EPOCH);
  }

  /** The name §7.3 asks for, computed the long way: expand everything, then truncate. */
  private static String naive(String spec, MacroContext ctx) throws SyntaxError {
    return MacroExpander.truncate(
        MacroExpander.expandUnbounded(MacroString.parse(spec, MacroString.Kind.DOMAIN_SPEC), ctx));
  }

  @Test
  void expandDomain_hugeExpansionGivesTheSameNameAsFullExpansion() throws SyntaxError {
    MacroContext ctx = sender("some.body-x");
    for (String spec :
        new String[] {
          "%{s}".repeat(3000) + ".example.net",
          "%{l}".repeat(3000) + "%{d}",
          "a.%{l-}".repeat(2000) + ".%{o}",
          "%{l}%{l}%{l}.example.net",
          "x".repeat(40) + "%{l}".repeat(500),
          "%{i}.%{l1r-}".repeat(1000) + "._spf.example.com",
          "%{h}.".repeat(300) + "%{d2}",
        }) {
      String name =
          MacroExpander.expandDomain(MacroString.parse(spec, MacroString.Kind.DOMAIN_SPEC), ctx);
      assertThat(name).as(spec.substring(0, 20)).isEqualTo(naive(spec, ctx));
    }
  }

  @Test
  void expandDomain_oversizedLastLabelStaysTooLong() throws SyntaxError {
    MacroContext ctx = sender("y".repeat(300));
    String name =
        MacroExpander.expandDomain(
            MacroString.parse("%{l}.example.%{l}%{l}", MacroString.Kind.DOMAIN_SPEC), ctx);
    assertThat(name.length()).isGreaterThan(MacroExpander.MAX_DOMAIN_LENGTH);
    assertThat(Evaluation.isLookupName(name)).isFalse();
  }

  @Test
  void expand_outputIsBoundedBeforeItIsBuilt() throws SyntaxError {
    MacroContext ctx = sender("z".repeat(2000));
    String text =
        MacroExpander.expand(
            MacroString.parse("%{s} ".repeat(15_000), MacroString.Kind.EXPLANATION), ctx);
    assertThat(text).hasSize(MacroExpander.MAX_EXPANSION).startsWith("z".repeat(2000) + "@e.");
  }
}
