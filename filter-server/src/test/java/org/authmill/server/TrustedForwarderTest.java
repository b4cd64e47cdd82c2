package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimResult;
import org.authmill.spf.SpfIdentity;
import org.authmill.spf.SpfOutcome;
import org.authmill.spf.SpfResult;
import org.junit.jupiter.api.Test;

class TrustedForwarderTest {
  private static final InetAddress CLIENT = address("198.51.100.7");

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static SpfOutcome spf(SpfResult result, String domain) {
    return new SpfOutcome(
        result,
        SpfIdentity.MAILFROM,
        "bounce@" + domain,
        domain,
        CLIENT,
        Optional.of("mx." + domain),
        Optional.of("bounce@" + domain),
        Optional.empty(),
        Optional.empty(),
        "test",
        1,
        0,
        Duration.ZERO);
  }

  private static DkimOutcome dkim(DkimResult result, String d) {
    return new DkimOutcome(
        result,
        Optional.of(d),
        Optional.of("s"),
        Optional.of("rsa-sha256"),
        2048,
        "test",
        Optional.empty(),
        OptionalLong.empty(),
        false,
        Optional.empty());
  }

  @Test
  void parse_networksAddressesAndNames() {
    assertThat(TrustedForwarder.parse("198.51.100.0/24").network()).isPresent();
    assertThat(TrustedForwarder.parse("198.51.100.7").toString()).isEqualTo("198.51.100.7/32");
    assertThat(TrustedForwarder.parse("2001:db8::/32").network()).isPresent();
    assertThat(TrustedForwarder.parse("Fwd.Example.NET.").domain()).contains("fwd.example.net");
  }

  @Test
  void parse_bad_namesTheEntry() {
    assertThatThrownBy(() -> TrustedForwarder.parse("not a name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'not a name'");
    assertThatThrownBy(() -> TrustedForwarder.parse("198.51.100.0/40"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix length");
  }

  @Test
  void covers_network_matchesTheClientOnly() {
    TrustedForwarder net = TrustedForwarder.parse("198.51.100.0/24");
    assertThat(net.covers(CLIENT, spf(SpfResult.FAIL, "x.example"), List.of()))
        .contains("198.51.100.0/24 client 198.51.100.7");
    assertThat(net.covers(address("192.0.2.1"), spf(SpfResult.PASS, "x.example"), List.of()))
        .isEmpty();
  }

  @Test
  void covers_name_needsSpfPassForThatDomain() {
    TrustedForwarder name = TrustedForwarder.parse("fwd.example");
    assertThat(name.covers(CLIENT, spf(SpfResult.PASS, "fwd.example"), List.of()))
        .contains("fwd.example spf=pass");
    // claimed but not authenticated: SPF fail or softfail, or another domain
    assertThat(name.covers(CLIENT, spf(SpfResult.FAIL, "fwd.example"), List.of())).isEmpty();
    assertThat(name.covers(CLIENT, spf(SpfResult.SOFTFAIL, "fwd.example"), List.of())).isEmpty();
    assertThat(name.covers(CLIENT, spf(SpfResult.PASS, "sub.fwd.example"), List.of())).isEmpty();
  }

  @Test
  void covers_name_orAPassingDkimSignatureOfThatDomain() {
    TrustedForwarder name = TrustedForwarder.parse("fwd.example");
    SpfOutcome none = spf(SpfResult.NONE, "other.example");
    assertThat(name.covers(CLIENT, none, List.of(dkim(DkimResult.PASS, "FWD.example"))))
        .contains("fwd.example dkim=pass header.d");
    assertThat(name.covers(CLIENT, none, List.of(dkim(DkimResult.FAIL, "fwd.example")))).isEmpty();
  }

  @Test
  void firstCovering_takesTheFirstMatchingEntry() {
    List<TrustedForwarder> entries =
        List.of(TrustedForwarder.parse("192.0.2.0/24"), TrustedForwarder.parse("fwd.example"));
    assertThat(
            TrustedForwarder.firstCovering(
                entries, CLIENT, spf(SpfResult.PASS, "fwd.example"), List.of()))
        .contains("fwd.example spf=pass");
    assertThat(
            TrustedForwarder.firstCovering(
                entries, CLIENT, spf(SpfResult.PASS, "other.example"), List.of()))
        .isEmpty();
  }
}
