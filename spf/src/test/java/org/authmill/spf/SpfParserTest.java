package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import org.authmill.dns.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpfParserTest {

  private static SpfRecord parsed(String text) {
    ParseResult<SpfRecord> result = SpfParser.parse(text);
    assertThat(result).isInstanceOf(ParseResult.Parsed.class);
    return result.value().orElseThrow();
  }

  private static String invalid(String text) {
    ParseResult<SpfRecord> result = SpfParser.parse(text);
    assertThat(result).as(text).isInstanceOf(ParseResult.Invalid.class);
    return result.problem().orElseThrow();
  }

  @Test
  void parse_allMechanismsAndModifiers() {
    SpfRecord r =
        parsed(
            "v=spf1 +a -mx:mx.example.org/24//64 ~ptr ?ip4:192.0.2.0/24 ip6:2001:db8::/32"
                + " exists:%{ir}.bl.example.org include:_spf.example.net all"
                + " redirect=other.example.org exp=why.%{d} foo.bar=baz");
    assertThat(r.directives()).hasSize(8);
    assertThat(r.directives().get(1).mechanism()).isEqualTo(r.directives().get(1).mechanism());
    Mechanism.Mx mx = (Mechanism.Mx) r.directives().get(1).mechanism();
    assertThat(mx.ip4Prefix()).isEqualTo(24);
    assertThat(mx.ip6Prefix()).isEqualTo(64);
    assertThat(r.directives().get(1).qualifier()).isEqualTo(Qualifier.FAIL);
    assertThat(r.redirect()).isPresent();
    assertThat(r.explanation().get().uses('d')).isTrue();
    assertThat(r.unknownModifiers())
        .extracting(SpfRecord.UnknownModifier::name)
        .contains("foo.bar");
    assertThat(r.hasAll()).isTrue();
    assertThat(r.dnsTermCount()).isEqualTo(5); // redirect is moot beside all
  }

  @Test
  void parse_namesAreCaseInsensitive() {
    SpfRecord r = parsed("V=SpF1 IP4:192.0.2.1 Include:x.example.org REDIRECT=y.example.org");
    assertThat(r.directives()).hasSize(2);
    assertThat(r.redirect()).isPresent();
  }

  @Test
  void parse_domainSpecMayHoldColonsAndSlashes() {
    Mechanism.A a =
        (Mechanism.A) parsed("v=spf1 a:foo:bar/baz.example.com").directives().get(0).mechanism();
    assertThat(a.domainSpec().get().source()).isEqualTo("foo:bar/baz.example.com");
    assertThat(a.ip4Prefix()).isEqualTo(32);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v=spf1 -all.",
        "v=spf1 all:x",
        "v=spf1 a:foo-bar",
        "v=spf1 a:abc.123",
        "v=spf1 a:example.-com",
        "v=spf1 a/33",
        "v=spf1 a//129",
        "v=spf1 a/24/64",
        "v=spf1 ip4:1.2.3.4/032",
        "v=spf1 ip4:1.2.3",
        "v=spf1 ip4:1.2.3.4//32",
        "v=spf1 ip6::CAFE::BABE",
        "v=spf1 ip6:192.0.2.1::",
        "v=spf1 ip6:192.0.2.1::/96",
        "v=spf1 ptr/0",
        "v=spf1 include",
        "v=spf1 exists:",
        "v=spf1 redirect:x.example.org",
        "v=spf1 exp=a.example.org exp=b.example.org",
        "v=spf1 exp=%{r}.example.org",
        "v=spf1 foo=%abc",
        "v=spf1 foo=%{c} +all",
        "v=spf1 foo.bar=x%{t}x +all",
        "v=spf1 exists:%{a}.example.org",
        "v=spf1 exists:%{d0}.example.org",
        "v=spf1 1up=foo",
        "v=spf1 exists:%{d}.",
        "v=spf1 a:ctrl.example.com\rptr",
        "v=spf1 a:\u00efgarbage.example.net"
      })
  void parse_rejectsWhatTheGrammarRejects(String text) {
    String bad = invalid(text);
    assertThat(bad).isNotBlank();
    assertThat(bad).doesNotContain("\r");
  }

  @Test
  void parse_invalidNamesTheBadTerm() {
    assertThat(invalid("v=spf1 ip4:192.0.2.1 mx:example.com:8080 -all"))
        .startsWith("'mx:example.com:8080': ");
  }

  @Test
  void isSpfRecord_versionEndsWithSpaceOrEnd() {
    assertThat(SpfParser.isSpfRecord("v=spf1")).isTrue();
    assertThat(SpfParser.isSpfRecord("V=SPF1 -all")).isTrue();
    assertThat(SpfParser.isSpfRecord("v=spf10")).isFalse();
    assertThat(SpfParser.isSpfRecord("v=spf1mx")).isFalse();
  }

  @Test
  void parse_longerThanDnsCanCarry_invalidBeforeSplitting() {
    String huge = "v=spf1" + " a".repeat(40_000);
    ParseResult<SpfRecord> r = SpfParser.parse(huge);
    assertThat(r).isInstanceOf(ParseResult.Invalid.class);
    assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p).contains("65535"));
    assertThat(SpfParser.parse("v=spf1" + " a".repeat(30_000)))
        .isInstanceOf(ParseResult.Parsed.class);
  }
}
