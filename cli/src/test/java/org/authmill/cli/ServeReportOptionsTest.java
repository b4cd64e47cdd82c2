package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.authmill.report.ReportSettings;
import org.authmill.server.FilterConfig;
import org.authmill.store.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeReportOptionsTest {
  @TempDir Path dir;

  private static FilterConfig configuration(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "serve";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine cli = Authmill.commandLine();
    CommandLine.ParseResult result = cli.parseArgs(all);
    ServeCommand serve = result.subcommand().commandSpec().commandLine().getCommand();
    return serve.configuration();
  }

  @Test
  void configuration_withoutReportOptions_reportsAreOff() {
    assertThat(configuration().report().enabled()).isFalse();
  }

  @Test
  void configuration_reportOrgAlone_turnsReportsOnWithTheEmbeddedStore() {
    FilterConfig c = configuration("--report-org", "Example Mail", "--state-dir", dir.toString());
    assertThat(c.report().enabled()).isTrue();
    ReportSettings s = c.report().settings();
    assertThat(s.org()).isEqualTo("Example Mail");
    assertThat(s.email()).startsWith("postmaster@");
    assertThat(s.location().jdbcUrl())
        .isEqualTo("jdbc:sqlite:" + dir.toAbsolutePath().resolve("authmill.db"));
  }

  @Test
  void configuration_flagsOverTheFile() throws Exception {
    Path yml =
        Files.writeString(
            dir.resolve("authmill.yml"),
            "report:\n  org: From File\n  email: file@example.net\n  period: 1h\n  send: false\n");
    FilterConfig c =
        configuration(
            "--config",
            yml.toString(),
            "--report-email",
            "flag@example.org",
            "--report-store",
            "jdbc:postgresql://db.example/authmill");
    ReportSettings s = c.report().settings();
    assertThat(s.org()).isEqualTo("From File");
    assertThat(s.email()).isEqualTo("flag@example.org");
    assertThat(s.period().length().toHours()).isEqualTo(1);
    assertThat(s.send()).isFalse();
    assertThat(s.location().dialect()).isEqualTo(Dialect.POSTGRESQL);
  }

  @Test
  void configuration_reportPeriodInDays() {
    FilterConfig c = configuration("--report-org", "X", "--report-period", "1d");
    assertThat(c.report().settings().period().length()).isEqualTo(java.time.Duration.ofDays(1));
    FilterConfig hours = configuration("--report-org", "X", "--report-period", "4h");
    assertThat(hours.report().settings().period().length().toHours()).isEqualTo(4);
  }

  @Test
  void serve_reportPeriodNotDividingADay_isAUsageErrorNamingIt() {
    CliRun run =
        CliRun.of(
            "serve", "--report-org", "X", "--report-period", "5h", "--listen", "inet:127.0.0.1:0");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--report-period 5h").contains("divide a day evenly");
  }

  @Test
  void serve_badReportStore_isAUsageErrorNamingIt() {
    CliRun run =
        CliRun.of(
            "serve",
            "--report-org",
            "X",
            "--report-store",
            "jdbc:mysql://db/x",
            "--listen",
            "inet:127.0.0.1:0");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("jdbc:mysql://db/x");
  }
}
