package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DomainNameTest {
  private static Optional<String> parsed(String text) {
    return DomainName.parse(text).value().map(DomainName::toString);
  }

  private static Optional<String> normal(String text) {
    return DomainName.parse(text).value().map(d -> d.toLowerCase().toString());
  }

  private static Optional<String> problem(String text) {
    return DomainName.parseDnsName(text).problem();
  }

  @Test
  void parse_hostNameLabels() {
    assertThat(parsed("example.com")).contains("example.com");
    assertThat(parsed("sel_1.sub-domain")).contains("sel_1.sub-domain");
    assertThat(parsed("legitimate.com(.attacker.com")).isEmpty();
    assertThat(parsed("a..b")).isEmpty();
    assertThat(parsed("x".repeat(64) + ".com")).isEmpty();
    assertThat(parsed("")).isEmpty();
    // the root's dot is not part of the name
    assertThat(parsed("example.com.")).contains("example.com");
  }

  @Test
  void parse_invalid_reasonNamesTheProblem() {
    assertThat(DomainName.parse("a b.example").problem())
        .contains("the name has a character other than a letter, digit, hyphen or underscore");
    assertThat(DomainName.parse("\u2665.example").problem())
        .contains("the name has a label that IDNA2008 does not allow");
    assertThat(DomainName.parse("a..b").problem()).contains("the name has an empty label");
  }

  @Test
  void parse_uLabelsBecomeALabels() {
    // RFC 8616 §4: d=, s= and the i= domain may be U-labels; the DNS is asked with A-labels
    assertThat(parsed("b\u00fccher.example")).contains("xn--bcher-kva.example");
    assertThat(parsed("Example.COM")).contains("Example.COM");
    assertThat(parsed("xn--bcher-kva.example")).contains("xn--bcher-kva.example");
    assertThat(parsed("b\u00fccher..example")).isEmpty();
    // IDNA2008, as DMARC converts the From: domain: the sharp s stays (IDNA2003 made it "ss")
    assertThat(parsed("fa\u00df.example")).contains("xn--fa-hia.example");
  }

  @Test
  void parse_caseDotAndIdn() {
    assertThat(normal(" Example.COM. ")).contains("example.com");
    assertThat(normal("bücher.example")).contains("xn--bcher-kva.example");
    assertThat(normal("_dmarc.example")).contains("_dmarc.example");
  }

  @Test
  void parse_uLabels_idna2008ALabels() {
    // RFC 9989 §5.3.1 and RFC 5890 §2.3: IDNA2008 keeps the sharp s and the final sigma, which
    // IDNA2003's nameprep (java.net.IDN) maps to "ss" and "σ": a different, maybe hostile, domain.
    assertThat(normal("faß.example")).contains("xn--fa-hia.example");
    assertThat(normal("straße.example")).contains("xn--strae-oqa.example");
    assertThat(normal("ὀδυσσεύς.example")).contains("xn--pxac3bcak3d8526a.example");
    // upper case is mapped code point by code point (UTS #46), so Σ is always σ
    assertThat(normal("ΒΎΣΣ.example")).contains("xn--nxa8aa2b.example");
    assertThat(normal("MÜNCHEN.example")).contains("xn--mnchen-3ya.example");
    assertThat(normal("例え.テスト")).contains("xn--r8jz45g.xn--zckzah");
    // ideographic and fullwidth full stops separate labels (RFC 3490 §3.1, UTS #46)
    assertThat(normal("bücher\u3002example")).contains("xn--bcher-kva.example");
    assertThat(normal("bücher\uff0eexample")).contains("xn--bcher-kva.example");
    // a decomposed ü is the same U-label as the precomposed one (NFC, RFC 5891 §5.2)
    assertThat(normal("bu\u0308cher.example")).contains("xn--bcher-kva.example");
    // invisible code points are dropped (UTS #46): the name checked is the name displayed
    assertThat(normal("vic\u200dtim.example")).contains("victim.example");
    assertThat(normal("vic\u200btim.example")).contains("victim.example");
    assertThat(normal("vic\u00adtim.example")).contains("victim.example");
    // fullwidth forms of ASCII are that ASCII
    assertThat(normal("\uff56ictim.example")).contains("victim.example");
  }

  @Test
  void parse_invalidULabels_invalid() {
    // RFC 5892: symbols and a leading combining mark are not in a valid U-label; nor is a hyphen
    // at either end (RFC 5891 §4.2.3.1)
    assertThat(normal("\u2665.example")).isEmpty();
    assertThat(normal("\u0308bc\u00fc.example")).isEmpty();
    assertThat(normal("-b\u00fc.example")).isEmpty();
    assertThat(normal("b\u00fc-.example")).isEmpty();
    assertThat(normal("b\ufffdcher.example")).isEmpty();
    assertThat(normal("\u00fc".repeat(60) + ".example")).isEmpty();
  }

  @Test
  void parse_notHostNames_invalid() {
    assertThat(normal("")).isEmpty();
    assertThat(normal(".")).isEmpty();
    assertThat(normal("a..b")).isEmpty();
    assertThat(normal(".a.b")).isEmpty();
    assertThat(normal("a b.example")).isEmpty();
    assertThat(normal("[192.0.2.1]")).isEmpty();
    assertThat(normal("x".repeat(64) + ".example")).isEmpty();
    assertThat(normal(("a".repeat(60) + ".").repeat(5) + "example")).isEmpty();
    assertThat(normal("a".repeat(DomainName.MAX_TEXT_LENGTH + 1))).isEmpty();
  }

  @Test
  void parseDnsName_anyOctetInALabel() {
    // RFC 2181 §11: a label may hold any octet, so an SPF macro may expand to spaces
    assertThat(problem("a b.example")).isEmpty();
    assertThat(problem("example.com.")).isEmpty();
    assertThat(DomainName.parseDnsName("Mail.Example.").value().map(DomainName::toString))
        .contains("Mail.Example");
    assertThat(problem("")).contains("the name is empty");
    assertThat(problem(".")).contains("the name has an empty label");
    assertThat(problem("a..")).contains("the name has an empty label");
    assertThat(problem("x".repeat(64) + ".example"))
        .contains("the name has a label longer than 63 characters");
    assertThat(problem(("a".repeat(60) + ".").repeat(5) + "example"))
        .contains("the name is longer than 253 characters");
  }

  @Test
  void isAtOrBelow_subdomainsOnly_ignoringCase() {
    assertThat(name("Mail.Example.com").isAtOrBelow(name("example.COM"))).isTrue();
    assertThat(name("x.example.com").isAtOrBelow(name("example.com"))).isTrue();
    assertThat(name("example.com").isAtOrBelow(name("example.com"))).isTrue();
    assertThat(name("badexample.com").isAtOrBelow(name("example.com"))).isFalse();
    assertThat(name("example.com").isAtOrBelow(name("mail.example.com"))).isFalse();
  }

  @Test
  void suffixAndLabels() {
    assertThat(name("a.b.c").labelCount()).isEqualTo(3);
    assertThat(name("a.b.c").labels()).containsExactly("a", "b", "c");
    assertThat(name("a.b.c").suffix(2)).hasToString("b.c");
    assertThat(name("a.b.c").suffix(5)).hasToString("a.b.c");
    assertThat(name("a.b.c").parent()).contains(name("b.c"));
    assertThat(name("c").parent()).isEmpty();
  }

  @Test
  void equals_ignoresCase_keepsTheGivenCase() {
    assertThat(name("Example.COM")).isEqualTo(name("example.com"));
    assertThat(name("Example.COM")).hasSameHashCodeAs(name("example.com"));
    assertThat(name("Example.COM")).hasToString("Example.COM");
    assertThat(name("Example.COM").toLowerCase()).hasToString("example.com");
    assertThat(name("example.com")).isNotEqualTo(name("example.org"));
  }

  @Test
  void reverse_ipv4AndIpv6() throws Exception {
    assertThat(DomainName.reverse(InetAddress.getByName("192.0.2.1")))
        .hasToString("1.2.0.192.in-addr.arpa");
    assertThat(DomainName.reverse(InetAddress.getByName("2001:db8::1")))
        .hasToString("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  }

  private static DomainName name(String text) {
    return DomainName.parse(text).value().orElseThrow();
  }
}
