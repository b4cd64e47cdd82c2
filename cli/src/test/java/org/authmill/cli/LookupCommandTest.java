package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;

class LookupCommandTest {
  private static final String ZONE = TestPaths.testdata("dns/fixtures.zone").toString();

  @Test
  void lookup_txtFromZone_printsJoinedRecord() {
    CliRun run = CliRun.of("lookup", "multi.example.org", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out().strip()).isEqualTo("onetwothree");
  }

  @Test
  void lookup_json_hasResultAndRecords() {
    CliRun run = CliRun.of("lookup", "mail.zone.test", "--type", "mx", "--zone", ZONE, "--json");
    assertThat(run.out())
        .contains("\"result\":\"records\"")
        .contains("10 mx1.zone.test")
        .contains("\"type\":\"MX\"");
  }

  @Test
  void lookup_nxdomainAndNodata_toldApart() {
    CliRun nx = CliRun.of("lookup", "nothing.example.org", "--zone", ZONE);
    CliRun nodata = CliRun.of("lookup", "host.example.org", "--zone", ZONE);
    assertThat(nx.out().strip()).isEqualTo("nxdomain");
    assertThat(nodata.out().strip()).isEqualTo("nodata");
    assertThat(nx.status()).isEqualTo(ExitCodes.NOT_PASS);
  }

  @Test
  void lookup_unknownType_usageErrorNamingIt() {
    CliRun run = CliRun.of("lookup", "x.test", "--type", "SRV", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--type SRV");
  }

  @Test
  void lookup_missingZoneFile_usageErrorNamingFile() {
    CliRun run = CliRun.of("lookup", "x.test", "--zone", "/nonexistent/zone");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("/nonexistent/zone");
  }

  @Test
  void lookup_zoneAndNameserver_rejectedTogether() {
    CliRun run = CliRun.of("lookup", "x.test", "--zone", ZONE, "--nameserver", "127.0.0.1:5353");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("not both");
  }
}
