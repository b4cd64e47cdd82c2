package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.authmill.report.ReportSettings;
import org.junit.jupiter.api.Test;

class FilterConfigReportTest {
  @Test
  void parse_reportKeys_fillTheSettings() {
    FilterConfig c =
        FilterConfigYaml.parse(
            "report:\n  org: Example Mail\n  email: dmarc@example.net\n  flush-interval: 2s\n"
                + "  period: 1h\n  relay: 192.0.2.25:2525\n  suppress-after: 5\n"
                + "  deny: [example.org]\n  keep: 48h\n  envelope-to: true\n",
            "test");
    ReportSettings s = c.report().settings();
    assertThat(s.flushInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.period().length()).isEqualTo(Duration.ofHours(1));
    assertThat(s.relay().getPort()).isEqualTo(2525);
    assertThat(s.suppressAfter()).isEqualTo(5);
    assertThat(s.deny()).containsExactly("example.org");
    assertThat(s.keep()).isEqualTo(Duration.ofHours(48));
    assertThat(s.envelopeTo()).isTrue();
    assertThat(s.send()).isTrue();
    assertThat(s.identity().submitter()).isEqualTo("example.net");
  }

  @Test
  void parse_badReportValues_nameTheKey() {
    assertThatThrownBy(() -> FilterConfigYaml.parse("report:\n  org: X\n  period: 30s\n", "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("report")
        .hasMessageContaining("period");
    assertThatThrownBy(() -> FilterConfigYaml.parse("report:\n  org: X\n  store: mysql://x\n", "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> FilterConfigYaml.parse("report:\n  orgg: X\n", "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("orgg");
  }

  @Test
  void parse_daysInDurations_periodOneDayAndKeepInDays() {
    ReportSettings s =
        FilterConfigYaml.parse(
                "report:\n  org: X\n  period: 1d\n  keep: 31d\n  suppress-for: 2d\n", "t")
            .report()
            .settings();
    assertThat(s.period().length()).isEqualTo(Duration.ofDays(1));
    assertThat(s.keep()).isEqualTo(Duration.ofDays(31));
    assertThat(s.suppressFor()).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void parse_periodNotDividingADay_isAClearErrorNamingTheKey() {
    assertThatThrownBy(() -> FilterConfigYaml.parse("report:\n  org: X\n  period: 5h\n", "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("report")
        .hasMessageContaining("divide a day evenly")
        .hasMessageContaining("got 5h");
  }

  @Test
  void parse_failureSection_offByDefaultOnWhenEnabled() {
    assertThat(
            FilterConfigYaml.parse("report:\n  org: X\n", "t")
                .report()
                .settings()
                .failure()
                .enabled())
        .isFalse();
    var f =
        FilterConfigYaml.parse(
                "report:\n  org: X\n  failure:\n    enabled: true\n    max-per-domain: 3\n"
                    + "    max-per-destination: 4\n    window: 1d\n    redact: false\n",
                "t")
            .report()
            .settings()
            .failure();
    assertThat(f.enabled()).isTrue();
    assertThat(f.maxPerDomain()).isEqualTo(3);
    assertThat(f.maxPerDestination()).isEqualTo(4);
    assertThat(f.window()).isEqualTo(Duration.ofDays(1));
    assertThat(f.redact()).isFalse();
    assertThatThrownBy(
            () ->
                FilterConfigYaml.parse(
                    "report:\n  org: X\n  failure:\n    enabled: true\n    max-per-domain: 0\n",
                    "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max-per-domain");
    assertThatThrownBy(
            () -> FilterConfigYaml.parse("report:\n  org: X\n  failure:\n    enable: true\n", "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("enable");
  }

  @Test
  void packagedExample_reportSectionUncommented_givesTheDefaults() throws Exception {
    String text =
        java.nio.file.Files.readString(
            java.nio.file.Path.of(System.getProperty("authmill.testdata"))
                .resolveSibling("packaging")
                .resolve("authmill.yml"));
    StringBuilder yaml = new StringBuilder();
    boolean in = false;
    for (String line : text.split("\n")) {
      if (line.equals("# report:")) {
        in = true;
      } else if (in && !line.startsWith("#   ")) {
        break;
      }
      if (in) {
        yaml.append(line.substring(2)).append('\n');
      }
    }
    ReportSettings s = FilterConfigYaml.parse(yaml.toString(), "packaging").report().settings();
    ReportSettings d = ReportSettings.of("Example Mail", "dmarc-reports@example.net");
    assertThat(s.period()).isEqualTo(d.period());
    assertThat(s.keep()).isEqualTo(d.keep());
    assertThat(s.suppressFor()).isEqualTo(d.suppressFor());
    assertThat(s.retryBackoff()).isEqualTo(d.retryBackoff());
    assertThat(s.flushInterval()).isEqualTo(d.flushInterval());
    assertThat(s.maxReportBytes()).isEqualTo(d.maxReportBytes());
    assertThat(s.failure()).isEqualTo(d.failure());
  }

  @Test
  void parse_noReportSection_isOff() {
    assertThat(FilterConfigYaml.parse("authserv-id: mx.example\n", "t").report().enabled())
        .isFalse();
  }
}
