package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.authmill.dns.ZoneResolver;
import org.junit.jupiter.api.Test;

/** RFC 9989 §4.10.2 and the examples of its Appendix B.4. */
class TreeWalkOrganizationalDomainTest {
  private static final ZoneResolver ZONE =
      ZoneResolver.fromText(
          """
          _dmarc.example.com.          TXT "v=DMARC1; p=reject"
          _dmarc.signing.example.com.  TXT "v=DMARC1; p=none"
          _dmarc.mail.example.net.     TXT "v=DMARC1; p=none; psd=n"
          _dmarc.example.net.          TXT "v=DMARC1; p=reject"
          _dmarc.bank.example.         TXT "v=DMARC1; p=reject; psd=y"
          _dmarc.giant.bank.example.   TXT "v=DMARC1; p=reject"
          _dmarc.psd.                  TXT "v=DMARC1; p=none"
          _dmarc.com.psd.              TXT "v=DMARC1; p=none"
          _dmarc.loop.example.         CNAME _dmarc.loop.example.
          """);

  private static OrganizationalDomainResult find(String domain) {
    return TreeWalkOrganizationalDomain.using(ZONE).find(domain).toCompletableFuture().join();
  }

  private static String org(String domain) {
    return ((OrganizationalDomainResult.Found) find(domain)).domain();
  }

  @Test
  void find_recordsAtSeveralLevels_fewestLabelsWins() {
    // B.4.1: signing.example.com and example.com both have records
    assertThat(org("signing.example.com")).isEqualTo("example.com");
    assertThat(org("a.b.c.d.e.f.g.h.i.j.k.example.com")).isEqualTo("example.com");
  }

  @Test
  void find_psdN_stopsThere() {
    assertThat(org("a.mail.example.net")).isEqualTo("mail.example.net");
    assertThat(org("other.example.net")).isEqualTo("example.net");
  }

  @Test
  void find_psdY_oneLabelBelow() {
    // B.4.3
    assertThat(org("giant.bank.example")).isEqualTo("giant.bank.example");
    assertThat(org("mail.giant.bank.example")).isEqualTo("giant.bank.example");
    assertThat(org("mail.mega.bank.example")).isEqualTo("mega.bank.example");
    assertThat(org("bank.example")).isEqualTo("bank.example");
  }

  @Test
  void find_recordOnTopLevelWithoutPsd_becomesOrganizationalDomain() {
    // RFC 9989 §11.8: the hazard of a PSD record without psd=y
    assertThat(org("a.b.com.psd")).isEqualTo("psd");
  }

  @Test
  void find_noRecord_domainItself() {
    assertThat(org("Nothing.Here.Example.")).isEqualTo("nothing.here.example");
  }

  @Test
  void find_dnsFailure_tempFailureNamingQuery() {
    assertThat(find("a.loop.example"))
        .isInstanceOfSatisfying(
            OrganizationalDomainResult.TempFailure.class,
            f -> assertThat(f.reason()).contains("_dmarc.loop.example"));
  }

  @Test
  void using_limitOutOfRange_rejected() {
    assertThatThrownBy(() -> TreeWalkOrganizationalDomain.using(ZONE, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TreeWalkOrganizationalDomain.using(ZONE).find("bad..name"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
