package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;

/** {@code authmill record spf}: building records and linting testdata/spf/edge-cases.zone. */
class RecordSpfCommandTest {
  private static final String ZONE = TestPaths.testdata("spf/edge-cases.zone").toString();

  @Test
  void call_buildsRecordInCheapOrder() {
    CliRun run =
        CliRun.of(
            "record",
            "spf",
            "--include",
            "_spf.example.net",
            "--mx",
            "--ip4",
            "192.0.2.0/24",
            "--ip6",
            "2001:db8::/32",
            "--a",
            "mail.example.org",
            "--all",
            "-");
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out().trim())
        .isEqualTo(
            "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a:mail.example.org mx"
                + " include:_spf.example.net -all");
  }

  @Test
  void call_defaultAllIsSoftfail() {
    CliRun run = CliRun.of("record", "spf", "--ip4", "192.0.2.1");
    assertThat(run.out().trim()).isEqualTo("v=spf1 ip4:192.0.2.1 ~all");
  }

  @Test
  void call_badNetworkIsUsageErrorNamingTheTerm() {
    CliRun run = CliRun.of("record", "spf", "--ip4", "192.0.2.300");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("ip4:192.0.2.300");
  }

  @Test
  void call_longRecordIsSplitIntoStrings() {
    String[] args = new String[2 + 2 * 20];
    args[0] = "record";
    args[1] = "spf";
    for (int i = 0; i < 20; i++) {
      args[2 + 2 * i] = "--ip4";
      args[3 + 2 * i] = "198.51.100." + (i + 100) + "/32";
    }
    CliRun run = CliRun.of(args);
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.err()).contains("more than one 255-octet string").contains("\" \"");
  }

  @Test
  void call_lintCountsNestedLookupsAndAdvises() throws Exception {
    CliRun run = CliRun.of("record", "spf", "--lint", "amp.spf.test", "--zone", ZONE, "--json");
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("lookups").asInt()).isEqualTo(11);
    assertThat(json.get("findings").toString()).contains("§4.6.4").contains("flatten");
  }

  @Test
  void call_lintCleanRecord() {
    CliRun run = CliRun.of("record", "spf", "--lint", "basic.spf.test", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out())
        .contains("record: v=spf1 ip4:192.0.2.0/24 -all")
        .contains("dns lookups: 0 of 10")
        .contains("ok: no problems found");
  }

  @Test
  void call_lintFindsVoidsLoopsAndMissingRecords() {
    assertThat(CliRun.of("record", "spf", "--lint", "void3.spf.test", "--zone", ZONE).out())
        .contains("void lookups: 3 of 2");
    assertThat(CliRun.of("record", "spf", "--lint", "incloop1.spf.test", "--zone", ZONE).out())
        .contains("loop");
    CliRun none = CliRun.of("record", "spf", "--lint", "norecord.spf.test", "--zone", ZONE);
    assertThat(none.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(none.out()).contains("publishes no SPF record");
  }

  @Test
  void call_lintWithBuildOptionsIsUsageError() {
    CliRun run = CliRun.of("record", "spf", "--lint", "a.test", "--ip4", "192.0.2.1");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void recordParent_listsSpf() {
    CliRun run = CliRun.of("record");
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out()).contains("spf");
  }
}
