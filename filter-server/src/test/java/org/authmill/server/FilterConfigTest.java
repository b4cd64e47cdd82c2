package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.authmill.milter.MilterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterConfigTest {
  @TempDir Path dir;

  @Test
  void defaults_matchTheDocumentedOnes() {
    FilterConfig c = FilterConfig.defaults();
    assertThat(c.listen().toString()).isEqualTo("inet:127.0.0.1:8891");
    assertThat(c.authservId()).isNotBlank();
    assertThat(c.trustedNetworks()).isEmpty();
    assertThat(c.originatingDaemons()).containsExactly("ORIGINATING");
    assertThat(c.actions().dmarcReject()).isEqualTo(FilterConfig.DmarcRejectAction.REJECT);
    assertThat(c.actions().dmarcQuarantine())
        .isEqualTo(FilterConfig.DmarcQuarantineAction.HEADER_ONLY);
    assertThat(c.actions().spfFail()).isEqualTo(FilterConfig.SpfFailAction.HEADER_ONLY);
    assertThat(c.actions().onError()).isEqualTo(MilterSettings.ErrorAction.ACCEPT);
    assertThat(c.limits().handlerDeadline()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.limits().maxPacketBytes()).isEqualTo(1 << 20);
    assertThat(c.receivedSpf()).isFalse();
    assertThat(c.metrics()).isNull();
    assertThat(c.quarantines()).isFalse();
    assertThat(c.milterSettings().errorAction()).isEqualTo(MilterSettings.ErrorAction.ACCEPT);
  }

  @Test
  void parse_fullFile() throws Exception {
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    String yaml =
        "listen: unix:/run/authmill/milter.sock\n"
            + "authserv-id: mx.example.org\n"
            + "trusted-networks: [10.0.0.0/8, 2001:db8::/32]\n"
            + "originating-daemons: [ORIGINATING, submission]\n"
            + "received-spf: true\n"
            + "metrics: 127.0.0.1:9100\n"
            + "signing:\n  keys: [\"example.com:sel:"
            + key
            + "\"]\n  multiple-signatures: true\n"
            + "actions:\n  dmarc-reject: quarantine\n  dmarc-quarantine: quarantine\n  spf-fail: reject\n  on-error: tempfail\n"
            + "limits:\n  max-headers: 500\n  handler-deadline: 1500ms\n  progress-interval: 2s\n  shutdown-grace: 1m\n"
            + "caches:\n  dns-entries: 0\n"
            + "dns:\n  nameservers: [127.0.0.1:5353]\n  timeout: 3s\n"
            + "event-loops: 3\n";
    FilterConfig c = FilterConfigYaml.parse(yaml, "authmill.yml");
    assertThat(c.listen().isUnix()).isTrue();
    assertThat(c.authservId()).isEqualTo("mx.example.org");
    assertThat(c.trusts(InetAddress.getByName("10.9.8.7"))).isTrue();
    assertThat(c.trusts(InetAddress.getByName("192.0.2.1"))).isFalse();
    assertThat(c.originatingDaemons()).containsExactly("ORIGINATING", "submission");
    assertThat(c.receivedSpf()).isTrue();
    assertThat(c.metrics()).isEqualTo(new HostPort("127.0.0.1", 9100));
    assertThat(c.signing().load().forSender("a@example.com")).hasSize(1);
    assertThat(c.quarantines()).isTrue();
    assertThat(c.actions().spfFail()).isEqualTo(FilterConfig.SpfFailAction.REJECT);
    assertThat(c.milterSettings().errorAction()).isEqualTo(MilterSettings.ErrorAction.TEMPFAIL);
    assertThat(c.milterSettings().handlerDeadline()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.milterSettings().maxHeaders()).isEqualTo(500);
    assertThat(c.limits().shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.caches().dnsEntries()).isZero();
    assertThat(c.dns().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.eventLoops()).isEqualTo(3);
  }

  @Test
  void parse_unknownKeyIsNamedWithItsPath() {
    assertThatThrownBy(() -> FilterConfigYaml.parse("limits:\n  max-hedaers: 3\n", "f.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("f.yml")
        .hasMessageContaining("unknown key 'limits.max-hedaers'")
        .hasMessageContaining("max-headers");
  }

  @Test
  void parse_badValuesAreNamed() {
    assertThatThrownBy(() -> FilterConfigYaml.parse("actions:\n  dmarc-reject: bounce\n", "f.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("actions.dmarc-reject")
        .hasMessageContaining("expected one of reject, quarantine, header-only, got 'bounce'");
    assertThatThrownBy(() -> FilterConfigYaml.parse("limits:\n  handler-deadline: soon\n", "f.yml"))
        .hasMessageContaining("limits.handler-deadline")
        .hasMessageContaining("expected a duration");
    assertThatThrownBy(() -> FilterConfigYaml.parse("limits:\n  handler-deadline: 10m\n", "f.yml"))
        .hasMessageContaining("below Postfix's milter timeouts");
    assertThatThrownBy(() -> FilterConfigYaml.parse("limits:\n  max-packet-bytes: 100\n", "f.yml"))
        .hasMessageContaining("max-packet-bytes")
        .hasMessageContaining(
            MilterSettings.MIN_PACKET_SIZE + " to " + MilterSettings.MAX_PACKET_SIZE);
    assertThatThrownBy(() -> FilterConfigYaml.parse("trusted-networks: [nowhere]\n", "f.yml"))
        .hasMessageContaining("trusted-networks")
        .hasMessageContaining("nowhere");
    assertThatThrownBy(() -> FilterConfigYaml.parse("listen: tcp:1\n", "f.yml"))
        .hasMessageContaining("'listen'");
    assertThatThrownBy(() -> FilterConfigYaml.parse("authserv-id: \"a;b\"\n", "f.yml"))
        .hasMessageContaining("authserv-id");
    assertThatThrownBy(() -> FilterConfigYaml.parse("signing:\n  keys: [nocolons]\n", "f.yml"))
        .hasMessageContaining("signing.keys")
        .hasMessageContaining("DOMAIN:SELECTOR:KEYFILE");
    assertThatThrownBy(
            () ->
                FilterConfigYaml.parse(
                    "dns:\n  zone-file: /z\n  nameservers: [1.2.3.4]\n", "f.yml"))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> FilterConfigYaml.parse("listen: [unclosed\n", "f.yml"))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void parse_stallTimeouts() {
    FilterConfig defaults = FilterConfig.defaults();
    assertThat(defaults.milterSettings().idleTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(defaults.milterSettings().packetTimeout()).isEqualTo(Duration.ofMinutes(1));
    FilterConfig c =
        FilterConfigYaml.parse("limits:\n  idle-timeout: 10m\n  packet-timeout: 15s\n", "f.yml");
    assertThat(c.milterSettings().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.milterSettings().packetTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThatThrownBy(() -> FilterConfigYaml.parse("limits:\n  idle-timeout: 10ms\n", "f.yml"))
        .hasMessageContaining("'limits'")
        .hasMessageContaining("idle-timeout must be at least 1s");
    assertThatThrownBy(() -> FilterConfigYaml.parse("limits:\n  packet-timeout: 1ms\n", "f.yml"))
        .hasMessageContaining("'limits'")
        .hasMessageContaining("packet-timeout must be at least 100ms");
  }

  @Test
  void packagedExample_parsesToTheDefaults() throws Exception {
    // packaging/authmill.yml documents every key with its default value.
    FilterConfig packaged =
        FilterConfigYaml.load(
            Path.of(System.getProperty("authmill.testdata"))
                .resolveSibling("packaging")
                .resolve("authmill.yml"));
    assertThat(packaged.limits()).isEqualTo(FilterConfig.defaults().limits());
    assertThat(packaged.caches()).isEqualTo(FilterConfig.defaults().caches());
  }

  @Test
  void load_missingFileIsNamed() {
    assertThatThrownBy(() -> FilterConfigYaml.load(dir.resolve("absent.yml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("absent.yml");
  }

  @Test
  void parseDuration_units() {
    assertThat(FilterConfigYaml.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(FilterConfigYaml.parseDuration("2")).isEqualTo(Duration.ofSeconds(2));
    assertThat(FilterConfigYaml.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(FilterConfigYaml.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(FilterConfigYaml.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(FilterConfigYaml.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(FilterConfigYaml.parseDuration("31d")).isEqualTo(Duration.ofDays(31));
  }

  @Test
  void parse_emptyFileIsTheDefaults() {
    assertThat(FilterConfigYaml.parse("", "f").listen()).isEqualTo(ListenAddress.DEFAULT);
  }
}
