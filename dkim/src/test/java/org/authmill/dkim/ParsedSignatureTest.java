package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import org.authmill.dns.DomainName;
import org.junit.jupiter.api.Test;

class ParsedSignatureTest {
  @Test
  void isAsciiName_hostNamesAsWritten() {
    assertThat(ParsedSignature.isAsciiName("example.com")).isTrue();
    assertThat(ParsedSignature.isAsciiName("sel_1.sub-domain")).isTrue();
    assertThat(ParsedSignature.isAsciiName("Example.COM")).isTrue();
    assertThat(ParsedSignature.isAsciiName("legitimate.com(.attacker.com")).isFalse();
    assertThat(ParsedSignature.isAsciiName("a..b")).isFalse();
    // RFC 6376 §3.5: d= is a domain-name without the root's dot
    assertThat(ParsedSignature.isAsciiName("example.com.")).isFalse();
    assertThat(ParsedSignature.isAsciiName(" example.com")).isFalse();
    // a U-label is looked up as its A-label, which the caller converts first
    assertThat(ParsedSignature.isAsciiName("b\u00fccher.example")).isFalse();
    assertThat(ParsedSignature.isAsciiName("x".repeat(64) + ".com")).isFalse();
    assertThat(ParsedSignature.isAsciiName("")).isFalse();
  }

  @Test
  void name_uLabelsBecomeALabels() {
    // RFC 8616 §4: d=, s= and the i= domain may be U-labels; the DNS is asked with A-labels
    assertThat(ParsedSignature.name("b\u00fccher.example").map(DomainName::toString))
        .contains("xn--bcher-kva.example");
    assertThat(ParsedSignature.name("b\u00fccher..example")).isEmpty();
    assertThat(ParsedSignature.name("example.com.")).isEmpty();
  }

  @Test
  void isWithin_subdomainsOnly() {
    assertThat(ParsedSignature.isWithin("Mail.Example.com", "example.COM")).isTrue();
    assertThat(ParsedSignature.isWithin("example.com", "example.com")).isTrue();
    assertThat(ParsedSignature.isWithin("badexample.com", "example.com")).isFalse();
    assertThat(ParsedSignature.isWithin("b\u00fccher.example", "xn--bcher-kva.example")).isTrue();
  }
}
