package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PublicSuffixOrganizationalDomainTest {
  private final PublicSuffixOrganizationalDomain strategy =
      new PublicSuffixOrganizationalDomain(PublicSuffixList.fromText("com\nuk\nco.uk\n"));

  private String find(String domain) {
    return ((OrganizationalDomainResult.Found) strategy.find(domain).toCompletableFuture().join())
        .domain();
  }

  @Test
  void find_subdomain_isSuffixPlusOneLabel() {
    assertThat(find("mail.shop.example.co.uk")).isEqualTo("example.co.uk");
    assertThat(find("A.Example.COM.")).isEqualTo("example.com");
  }

  @Test
  void find_publicSuffixItself_isItsOwnOrganizationalDomain() {
    // The PSL has no registrable domain for "co.uk"; DMARC still needs a domain to compare.
    assertThat(find("co.uk")).isEqualTo("co.uk");
  }

  @Test
  void find_uLabels_comparedAsALabels() {
    assertThat(find("mail.bücher.com")).isEqualTo("xn--bcher-kva.com");
  }

  @Test
  void find_notADomain_rejected() {
    assertThatThrownBy(() -> strategy.find("a..b")).isInstanceOf(IllegalArgumentException.class);
  }
}
