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
}
