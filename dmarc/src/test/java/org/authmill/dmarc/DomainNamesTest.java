package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainNamesTest {
  @Test
  void normalize_caseDotAndIdn() {
    assertThat(DomainNames.normalize(" Example.COM. ")).contains("example.com");
    assertThat(DomainNames.normalize("bücher.example")).contains("xn--bcher-kva.example");
    assertThat(DomainNames.normalize("_dmarc.example")).contains("_dmarc.example");
  }

  @Test
  void normalize_uLabels_idna2008ALabels() {
    // RFC 9989 §5.3.1 and RFC 5890 §2.3: IDNA2008 keeps the sharp s and the final sigma, which
    // IDNA2003's nameprep (java.net.IDN) maps to "ss" and "σ": a different, maybe hostile, domain.
    assertThat(DomainNames.normalize("faß.example")).contains("xn--fa-hia.example");
    assertThat(DomainNames.normalize("straße.example")).contains("xn--strae-oqa.example");
    assertThat(DomainNames.normalize("ὀδυσσεύς.example")).contains("xn--pxac3bcak3d8526a.example");
    // upper case is mapped code point by code point (UTS #46), so Σ is always σ
    assertThat(DomainNames.normalize("ΒΎΣΣ.example")).contains("xn--nxa8aa2b.example");
    assertThat(DomainNames.normalize("MÜNCHEN.example")).contains("xn--mnchen-3ya.example");
    assertThat(DomainNames.normalize("例え.テスト")).contains("xn--r8jz45g.xn--zckzah");
    // ideographic and fullwidth full stops separate labels (RFC 3490 §3.1, UTS #46)
    assertThat(DomainNames.normalize("bücher\u3002example")).contains("xn--bcher-kva.example");
    assertThat(DomainNames.normalize("bücher\uff0eexample")).contains("xn--bcher-kva.example");
    // a decomposed ü is the same U-label as the precomposed one (NFC, RFC 5891 §5.2)
    assertThat(DomainNames.normalize("bu\u0308cher.example")).contains("xn--bcher-kva.example");
    // invisible code points are dropped (UTS #46): the name checked is the name displayed
    assertThat(DomainNames.normalize("vic\u200dtim.example")).contains("victim.example");
    assertThat(DomainNames.normalize("vic\u200btim.example")).contains("victim.example");
    assertThat(DomainNames.normalize("vic\u00adtim.example")).contains("victim.example");
    // fullwidth forms of ASCII are that ASCII
    assertThat(DomainNames.normalize("\uff56ictim.example")).contains("victim.example");
  }

  @Test
  void normalize_invalidULabels_empty() {
    // RFC 5892: symbols and a leading combining mark are not in a valid U-label; nor is a hyphen
    // at either end (RFC 5891 §4.2.3.1)
    assertThat(DomainNames.normalize("\u2665.example")).isEmpty();
    assertThat(DomainNames.normalize("\u0308bc\u00fc.example")).isEmpty();
    assertThat(DomainNames.normalize("-b\u00fc.example")).isEmpty();
    assertThat(DomainNames.normalize("b\u00fc-.example")).isEmpty();
    assertThat(DomainNames.normalize("b\ufffdcher.example")).isEmpty();
    assertThat(DomainNames.normalize("\u00fc".repeat(60) + ".example")).isEmpty();
  }

  @Test
  void normalize_notHostNames_empty() {
    assertThat(DomainNames.normalize("")).isEmpty();
    assertThat(DomainNames.normalize(".")).isEmpty();
    assertThat(DomainNames.normalize("a..b")).isEmpty();
    assertThat(DomainNames.normalize(".a.b")).isEmpty();
    assertThat(DomainNames.normalize("a b.example")).isEmpty();
    assertThat(DomainNames.normalize("[192.0.2.1]")).isEmpty();
    assertThat(DomainNames.normalize("x".repeat(64) + ".example")).isEmpty();
    assertThat(DomainNames.normalize(("a".repeat(60) + ".").repeat(5) + "example")).isEmpty();
  }

  @Test
  void suffixAndLabels() {
    assertThat(DomainNames.labelCount("a.b.c")).isEqualTo(3);
    assertThat(DomainNames.suffix("a.b.c", 2)).isEqualTo("b.c");
    assertThat(DomainNames.suffix("a.b.c", 5)).isEqualTo("a.b.c");
    assertThat(DomainNames.isAtOrBelow("x.example.com", "example.com")).isTrue();
    assertThat(DomainNames.isAtOrBelow("example.com", "example.com")).isTrue();
    assertThat(DomainNames.isAtOrBelow("badexample.com", "example.com")).isFalse();
  }
}
