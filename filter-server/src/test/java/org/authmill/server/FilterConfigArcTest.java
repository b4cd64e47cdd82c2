package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.authmill.arc.TrustedSealer;
import org.junit.jupiter.api.Test;

class FilterConfigArcTest {
  @Test
  void parse_noArcSection_verifiesWithoutTrustOrSealing() {
    FilterConfig.Arc arc = FilterConfig.defaults().arc();
    assertThat(arc.verify()).isTrue();
    assertThat(arc.trustedSealers()).isEmpty();
    assertThat(arc.seal()).isNull();
  }

  @Test
  void parse_arcSection_readsTrustedSealersAndSeal() {
    FilterConfig config =
        FilterConfigYaml.parse(
            String.join(
                "\n",
                "authserv-id: mx.example.org",
                "arc:",
                "  trusted-sealers: [lists.example.org, 'fwd.example.net:arc2026']",
                "  seal:",
                "    domain: fwd.example.net",
                "    selector: arc2026",
                "    key: /etc/authmill/keys/arc.pem",
                ""),
            "test.yaml");
    assertThat(config.arc().trustedSealers())
        .extracting(TrustedSealer::toString)
        .containsExactly("lists.example.org", "fwd.example.net:arc2026");
    assertThat(config.arc().seal())
        .isEqualTo(
            new FilterConfig.ArcSeal(
                "fwd.example.net",
                "arc2026",
                Path.of("/etc/authmill/keys/arc.pem"),
                true,
                List.of()));
  }

  @Test
  void parse_sealOutbound_domainsLowerCasedAndStar() {
    FilterConfig config =
        FilterConfigYaml.parse(
            String.join(
                "\n",
                "arc:",
                "  seal:",
                "    domain: example.com",
                "    selector: arc",
                "    key: /k.pem",
                "    inbound: false",
                "    outbound: [Example.COM., example.org]",
                ""),
            "test.yaml");
    FilterConfig.ArcSeal seal = config.arc().seal();
    assertThat(seal.inbound()).isFalse();
    assertThat(seal.outbound()).containsExactly("example.com", "example.org");
    assertThat(seal.sealsOutbound("EXAMPLE.com")).isTrue();
    assertThat(seal.sealsOutbound("sub.example.com")).isFalse();
    assertThat(
            FilterConfigYaml.parse(
                    "arc:\n  seal: {domain: a.example, selector: s, key: /k, outbound: ['*']}\n",
                    "t.yaml")
                .arc()
                .seal()
                .sealsOutbound("anything.example"))
        .isTrue();
  }

  @Test
  void parse_sealOutboundBadDomain_namesTheKey() {
    assertThatThrownBy(
            () ->
                FilterConfigYaml.parse(
                    "arc:\n  seal: {domain: a.example, selector: s, key: /k, outbound: ['a b']}\n",
                    "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("arc.seal.outbound")
        .hasMessageContaining("'a b'");
  }

  @Test
  void parse_badTrustedSealer_namesTheKey() {
    assertThatThrownBy(
            () -> FilterConfigYaml.parse("arc:\n  trusted-sealers: ['bad domain']\n", "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("arc.trusted-sealers")
        .hasMessageContaining("invalid trusted sealer domain");
  }

  @Test
  void parse_sealWithoutVerify_isRefused() {
    assertThatThrownBy(
            () ->
                FilterConfigYaml.parse(
                    "arc:\n  verify: false\n  seal: {domain: a.example, selector: s, key: /k}\n",
                    "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("arc.seal needs arc.verify");
  }
}
