package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;

class RecordDmarcCommandTest {
  private static final String ZONE = TestPaths.testdata("dmarc/lint.zone").toString();

  @Test
  void build_options_printsRecord() {
    CliRun run =
        CliRun.of(
            "record",
            "dmarc",
            "--p",
            "reject",
            "--sp",
            "quarantine",
            "--np",
            "reject",
            "--adkim",
            "s",
            "--aspf",
            "relaxed",
            "--t",
            "y",
            "--psd",
            "n",
            "--fo",
            "1:d",
            "--rua",
            "dmarc@example.com",
            "--ruf",
            "mailto:fail@example.com");
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out().strip())
        .isEqualTo(
            "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; t=y; psd=n; fo=1:d;"
                + " rua=mailto:dmarc@example.com; ruf=mailto:fail@example.com");
  }

  @Test
  void build_defaults_pNoneWithNotes() {
    CliRun run = CliRun.of("record", "dmarc");
    assertThat(run.out().strip()).isEqualTo("v=DMARC1; p=none");
    assertThat(run.err()).contains("monitoring mode").contains("without rua");
  }

  @Test
  void build_withDomain_zoneLineAndExternalDestinationNote() {
    CliRun run =
        CliRun.of(
            "record",
            "dmarc",
            "--p",
            "quarantine",
            "--rua",
            "dmarc@example.com,agg@reports.example.net",
            "--domain",
            "Example.COM.");
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out())
        .startsWith(
            "_dmarc.example.com. IN TXT \"v=DMARC1; p=quarantine;"
                + " rua=mailto:dmarc@example.com,mailto:agg@reports.example.net\"")
        .contains("; mailto:agg@reports.example.net is outside example.com")
        .contains("example.com._report._dmarc.reports.example.net")
        .doesNotContain("mailto:dmarc@example.com is outside");
  }

  @Test
  void build_withIdnDomain_idna2008ALabel() {
    // RFC 9989 §5.3.1 and RFC 5890: faß.example is xn--fa-hia.example, not fass.example
    CliRun run = CliRun.of("record", "dmarc", "--p", "reject", "--domain", "faß.example");
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out()).startsWith("_dmarc.xn--fa-hia.example. IN TXT");
    assertThat(CliRun.of("record", "dmarc", "--domain", "a..example").status())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void zoneLine_longRecord_splitIntoCharacterStrings() {
    String text = "v=DMARC1; p=none; rua=mailto:" + "a".repeat(300) + "@example.com";
    String line = RecordDmarcCommand.zoneLine("example.com", text);
    assertThat(line).startsWith("_dmarc.example.com. IN TXT \"v=DMARC1");
    assertThat(line.split("\" \"")).hasSize(2);
  }

  @Test
  void build_json_recordZoneNotes() throws Exception {
    CliRun run = CliRun.of("record", "dmarc", "--p", "reject", "--domain", "example.com", "--json");
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("record").asText()).isEqualTo("v=DMARC1; p=reject");
    assertThat(json.get("zone").asText())
        .isEqualTo("_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"");
    assertThat(json.get("notes")).isNotEmpty();
  }

  @Test
  void build_badValues_usageErrorNamingOption() {
    assertThat(CliRun.of("record", "dmarc", "--p", "bogus").err()).contains("--p bogus");
    assertThat(CliRun.of("record", "dmarc", "--sp", "maybe").status()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.of("record", "dmarc", "--adkim", "x").err()).contains("--adkim x");
    assertThat(CliRun.of("record", "dmarc", "--t", "1").err()).contains("--t 1");
    assertThat(CliRun.of("record", "dmarc", "--psd", "x").err()).contains("--psd x");
    assertThat(CliRun.of("record", "dmarc", "--fo", "0:1").err()).contains("fo=0:1");
    assertThat(CliRun.of("record", "dmarc", "--rua", "nobody").err()).contains("rua nobody");
    assertThat(CliRun.of("record", "dmarc", "--domain", "a..b").err()).contains("--domain a..b");
  }

  @Test
  void lint_goodDomain_findingsAndErrorStatusForUnauthorizedRuf() {
    CliRun run = CliRun.of("record", "dmarc", "--lint", "good.example", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(run.out())
        .startsWith("_dmarc.good.example: v=DMARC1; p=reject;")
        .contains("policy for mail from good.example: p=reject (from _dmarc.good.example)")
        .contains("organizational domain: good.example")
        .contains("reports.example.net authorizes reports")
        .contains("error    ruf mailto:fail@thirdparty.example");
  }

  @Test
  void lint_cleanDomain_passStatus() {
    CliRun run = CliRun.of("record", "dmarc", "--lint", "clean.example", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out()).doesNotContain("error").doesNotContain("warning");
  }

  @Test
  void lint_subdomain_treeWalkSource() {
    CliRun run = CliRun.of("record", "dmarc", "--lint", "sub.good.example", "--zone", ZONE);
    assertThat(run.out())
        .startsWith("_dmarc.good.example: ")
        .contains("policy for mail from sub.good.example: p=reject (from _dmarc.good.example)");
  }

  @Test
  void lint_json_fields() throws Exception {
    CliRun run = CliRun.of("record", "dmarc", "--lint", "broken.example", "--zone", ZONE, "--json");
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("domain").asText()).isEqualTo("broken.example");
    assertThat(json.get("policy").asText()).isEqualTo("none");
    assertThat(json.get("findings").findValuesAsText("severity")).contains("error", "warning");
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
  }

  @Test
  void lint_dnsFailure_tempfailStatus() {
    assertThat(CliRun.of("record", "dmarc", "--lint", "loop.example", "--zone", ZONE).status())
        .isEqualTo(ExitCodes.TEMPFAIL);
  }

  @Test
  void lint_overRealNsd_sameFindingsAsZoneFile() {
    try (NsdServer nsd = NsdServer.servingFile(TestPaths.testdata("dmarc/lint.zone"))) {
      CliRun network =
          CliRun.of(
              "record",
              "dmarc",
              "--lint",
              "good.example",
              "--nameserver",
              "127.0.0.1:" + nsd.port());
      CliRun zone = CliRun.of("record", "dmarc", "--lint", "good.example", "--zone", ZONE);
      assertThat(network.out()).isEqualTo(zone.out());
      assertThat(network.status()).isEqualTo(zone.status());
    }
  }

  @Test
  void lint_withBuildOptions_usageError() {
    CliRun run =
        CliRun.of("record", "dmarc", "--lint", "good.example", "--p", "reject", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("not both");
  }

  @Test
  void record_withoutSubcommand_usage() {
    CliRun run = CliRun.of("record");
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out()).contains("Usage: authmill record").contains("dmarc");
  }
}
