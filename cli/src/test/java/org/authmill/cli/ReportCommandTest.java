package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.authmill.report.DkimAuth;
import org.authmill.report.PolicyEvaluated;
import org.authmill.report.PolicyPublished;
import org.authmill.report.ReportEvent;
import org.authmill.report.ReportRecorder;
import org.authmill.report.ReportRow;
import org.authmill.report.SpfAuth;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.authmill.testkit.Peers;
import org.authmill.testkit.SmtpSink;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  private static final Instant TWO_DAYS_AGO = Instant.now().minus(Duration.ofDays(2));

  @TempDir Path state;

  private static ReportEvent event(String domain, String ip, boolean pass) {
    ReportRow row =
        new ReportRow(
            ip,
            domain,
            Optional.of(domain),
            Optional.empty(),
            new PolicyEvaluated(
                pass ? "pass" : "reject", pass ? "pass" : "fail", "fail", List.of()),
            Optional.of(SpfAuth.mfrom(domain, "softfail")),
            List.of(new DkimAuth(domain, "sel", pass ? "pass" : "fail")));
    PolicyPublished p =
        new PolicyPublished(
            domain,
            "reject",
            Optional.empty(),
            Optional.empty(),
            "r",
            "r",
            "treewalk",
            "0",
            "n",
            "u");
    return new ReportEvent(TWO_DAYS_AGO, row, p, domain, List.of("mailto:dmarc@" + domain));
  }

  @BeforeEach
  void record() {
    try (Store store = Store.builder(StoreLocation.embedded(state)).build();
        ReportRecorder r = ReportRecorder.builder(store).flushInterval(Duration.ZERO).build()) {
      for (int i = 0; i < 4; i++) {
        r.record(event("example.com", "192.0.2.1", true));
      }
      r.record(event("example.com", "192.0.2.66", false));
      r.record(event("example.net", "2001:db8::1", true));
    }
  }

  @Test
  void show_json_hasTotalAndRowsWithTheContractKeys() throws Exception {
    CliRun run = CliRun.of("report", "show", "--state-dir", state.toString(), "--json");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.PASS);
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("total").asLong()).isEqualTo(6);
    assertThat(doc.get("rows")).hasSize(3);
    JsonNode first = doc.get("rows").get(0);
    assertThat(first.get("source_ip").asText()).isEqualTo("192.0.2.1");
    assertThat(first.get("count").asLong()).isEqualTo(4);
    assertThat(first.get("header_from").asText()).isEqualTo("example.com");
    assertThat(first.get("disposition").asText()).isEqualTo("pass");
    assertThat(first.get("dkim").asText()).isEqualTo("pass");
    assertThat(first.get("spf").asText()).isEqualTo("fail");
    assertThat(first.get("auth_results").get("dkim").get(0).get("selector").asText())
        .isEqualTo("sel");
  }

  @Test
  void show_domainFilter_onlyThatDomain() throws Exception {
    CliRun run =
        CliRun.of(
            "report", "show", "--state-dir", state.toString(), "--domain", "example.net", "--json");
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("total").asLong()).isEqualTo(1);
    assertThat(doc.get("rows").get(0).get("source_ip").asText()).isEqualTo("2001:db8::1");
    CliRun none =
        CliRun.of("report", "show", "--state-dir", state.toString(), "--until", "1000", "--json");
    assertThat(new ObjectMapper().readTree(none.out()).get("total").asLong()).isZero();
  }

  @Test
  void xml_isValidRfc9990() throws Exception {
    CliRun run =
        CliRun.of(
            "report",
            "xml",
            "--state-dir",
            state.toString(),
            "--domain",
            "example.com",
            "--report-org",
            "Receiver",
            "--report-email",
            "reports@receiver.example");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out()).contains("<org_name>Receiver</org_name>").contains("<count>4</count>");
    Path xml = state.resolve("out.xml");
    Files.writeString(xml, run.out());
    Path xmllint = Peers.command("xmllint", "libxml2-utils");
    Process p =
        new ProcessBuilder(
                xmllint.toString(),
                "--noout",
                "--schema",
                TestPaths.suite("dmarc/rfc9990/dmarc-xml-0.2.xsd").toString(),
                xml.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void xml_unknownDomain_exitsOneNamingIt() {
    CliRun run =
        CliRun.of("report", "xml", "--state-dir", state.toString(), "--domain", "nothing.example");
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(run.err()).contains("nothing.example");
  }

  @Test
  void send_dryRunThenSend_deliversEachReportOnce() throws Exception {
    try (SmtpSink sink = SmtpSink.start()) {
      String relay = "127.0.0.1:" + sink.port();
      String[] common = {
        "--state-dir",
        state.toString(),
        "--report-org",
        "Receiver",
        "--report-email",
        "reports@receiver.example",
        "--relay",
        relay,
        "--zone",
        "/dev/null"
      };
      CliRun dry = CliRun.of(concat(new String[] {"report", "send", "--dry-run"}, common));
      assertThat(dry.status()).as(dry.err()).isEqualTo(ExitCodes.PASS);
      assertThat(dry.out()).contains("dmarc@example.com: send").contains("2 report(s) due");
      assertThat(sink.messages()).isEmpty();
      CliRun send = CliRun.of(concat(new String[] {"report", "send", "--json"}, common));
      assertThat(send.status()).as(send.err()).isEqualTo(ExitCodes.PASS);
      assertThat(new ObjectMapper().readTree(send.out()).get("sent").asInt()).isEqualTo(2);
      assertThat(sink.awaitMessages(2, Duration.ofSeconds(10))).hasSize(2);
      CliRun again = CliRun.of(concat(new String[] {"report", "send", "--json"}, common));
      assertThat(new ObjectMapper().readTree(again.out()).get("sent").asInt()).isZero();
      assertThat(sink.messages()).hasSize(2);
    }
  }

  @Test
  void send_withoutOrg_isAUsageError() {
    CliRun run = CliRun.of("report", "send", "--state-dir", state.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--report-org");
  }

  @Test
  void reportStore_otherScheme_isAUsageErrorNamingIt() {
    CliRun run = CliRun.of("report", "show", "--report-store", "jdbc:mysql://db/x");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("jdbc:mysql://db/x");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
