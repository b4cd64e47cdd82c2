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
