package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainNamesTest {
  @Test
  void isValid_labels() {
    assertThat(DomainNames.isValid("example.com")).isTrue();
    assertThat(DomainNames.isValid("sel_1.sub-domain")).isTrue();
    assertThat(DomainNames.isValid("legitimate.com(.attacker.com")).isFalse();
    assertThat(DomainNames.isValid("a..b")).isFalse();
    assertThat(DomainNames.isValid("example.com.")).isFalse();
    assertThat(DomainNames.isValid("x".repeat(64) + ".com")).isFalse();
    assertThat(DomainNames.isValid("")).isFalse();
  }

  @Test
  void isWithin_subdomainsOnly() {
    assertThat(DomainNames.isWithin("Mail.Example.com", "example.COM")).isTrue();
    assertThat(DomainNames.isWithin("example.com", "example.com")).isTrue();
    assertThat(DomainNames.isWithin("badexample.com", "example.com")).isFalse();
  }

  @Test
  void toAscii_uLabelsBecomeALabels() {
    // RFC 8616 §4: d=, s= and the i= domain may be U-labels; the DNS is asked with A-labels
    assertThat(DomainNames.toAscii("b\u00fccher.example")).isEqualTo("xn--bcher-kva.example");
    assertThat(DomainNames.toAscii("Example.COM")).isEqualTo("Example.COM");
    assertThat(DomainNames.toAscii("xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
    assertThat(DomainNames.toAscii("b\u00fccher..example")).isNull();
    // IDNA2008, as DMARC converts the From: domain: the sharp s stays (IDNA2003 made it "ss")
    assertThat(DomainNames.toAscii("fa\u00df.example")).isEqualTo("xn--fa-hia.example");
  }

  @Test
  void utf8_readsOctetsAsUtf8OrKeepsThem() {
    String octets =
        new String(
            "b\u00fccher".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(DomainNames.utf8(octets)).isEqualTo("b\u00fccher");
    assertThat(DomainNames.utf8("plain")).isEqualTo("plain");
    assertThat(DomainNames.utf8("caf\u00e9")).isEqualTo("caf\u00e9"); // not UTF-8: kept
  }
}
