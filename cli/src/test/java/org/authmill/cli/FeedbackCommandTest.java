package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.authmill.testkit.DovecotServer;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode lastLine(String out) throws Exception {
    String[] lines = out.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  @Test
  void import_samplesTwice_countsThenAllDuplicates(@TempDir Path tmp) throws Exception {
    String samples = TestPaths.suite("dmarc/parsedmarc").toString();
    String state = tmp.resolve("state").toString();
    CliRun first = CliRun.of("feedback", "import", samples, "--state-dir", state);
    assertThat(first.status()).as(first.err()).isEqualTo(ExitCodes.PASS);
    JsonNode counts = lastLine(first.out());
    assertThat(counts.fieldNames())
        .toIterable()
        .containsExactly("imported", "duplicates", "failed");
    // 20 aggregate samples (2 pairs are copies of one report) and 5 failure reports (the two
    // LinkedIn ones are one report): 21 stored, 3 duplicates.
    assertThat(counts.get("imported").asInt()).isEqualTo(21);
    assertThat(counts.get("duplicates").asInt()).isEqualTo(3);
    assertThat(counts.get("failed").asInt()).isZero();

    CliRun second = CliRun.of("feedback", "import", samples, "--state-dir", state);
    JsonNode again = lastLine(second.out());
    assertThat(again.get("imported").asInt()).isZero();
    assertThat(again.get("duplicates").asInt()).isEqualTo(24);
  }

  @Test
  void import_badReportAmongGood_namedOnStderrRestImported(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.copy(TestPaths.suite("dmarc/mail-dmarc/test_dmarc.xml"), dir.resolve("good.xml"));
    Files.writeString(
        dir.resolve("bad.xml"), "<feedback><report_metadata>", StandardCharsets.UTF_8);
    Files.write(dir.resolve("trunc.xml.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0});
    CliRun run =
        CliRun.of("feedback", "import", dir.toString(), "--state-dir", tmp.resolve("s").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    JsonNode counts = lastLine(run.out());
    assertThat(counts.get("imported").asInt()).isEqualTo(1);
    assertThat(counts.get("failed").asInt()).isEqualTo(2);
    assertThat(run.err()).contains("bad.xml").contains("trunc.xml.gz").contains("truncated gzip");
  }

  @Test
  void summary_json_hasTheIssueKeysAndStoreNumbers(@TempDir Path tmp) throws Exception {
    String state = tmp.resolve("state").toString();
    CliRun.of(
        "feedback", "import", TestPaths.suite("dmarc/parsedmarc").toString(), "--state-dir", state);
    CliRun run =
        CliRun.of(
            "feedback",
            "summary",
            "--domain",
            "example.com",
            "--json",
            "--no-reverse",
            "--state-dir",
            state);
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.PASS);
    JsonNode s = JSON.readTree(run.out());
    assertThat(s.get("domain").asText()).isEqualTo("example.com");
    long total = 0;
    long pass = 0;
    for (JsonNode src : s.get("sources")) {
      assertThat(src.has("source_ip")).isTrue();
      total += src.get("messages").asLong();
      pass += src.get("dmarc_pass").asLong();
    }
    assertThat(s.get("messages").asLong()).isEqualTo(total).isPositive();
    assertThat(s.get("dmarc_pass").asLong()).isEqualTo(pass);
    assertThat(s.get("readiness")).hasSize(2);
    assertThat(s.get("readiness").get(1).get("policy").asText()).isEqualTo("reject");

    CliRun text =
        CliRun.of(
            "feedback", "summary", "--domain", "example.com", "--no-reverse", "--state-dir", state);
    assertThat(text.out()).contains("at p=reject").contains("SOURCE");
  }

  @Test
  void summary_since_filtersAndBadSinceIsUsage(@TempDir Path tmp) throws Exception {
    String state = tmp.resolve("state").toString();
    CliRun.of(
        "feedback", "import", TestPaths.suite("dmarc/parsedmarc").toString(), "--state-dir", state);
    CliRun recent =
        CliRun.of(
            "feedback",
            "summary",
            "--domain",
            "example.com",
            "--json",
            "--no-reverse",
            "--since",
            "2024-01-01",
            "--state-dir",
            state);
    JsonNode s = JSON.readTree(recent.out());
    // Only the 2024 reports (Outlook.com, example.org) end after 2024-01-01.
    assertThat(s.get("reporting_orgs").toString()).contains("Outlook.com").doesNotContain("veeam");
    CliRun bad =
        CliRun.of(
            "feedback",
            "summary",
            "--domain",
            "example.com",
            "--since",
            "yesterday-ish",
            "--state-dir",
            state);
    assertThat(bad.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("--since");
  }

  @Test
  void feedback_badStoreUrl_usageError(@TempDir Path tmp) {
    CliRun run =
        CliRun.of("feedback", "summary", "--domain", "example.com", "--report-store", "mysql://x");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("jdbc:postgresql:");
  }

  @Test
  void import_imap_importsThenNothingNew(@TempDir Path tmp) throws Exception {
    try (DovecotServer imap = DovecotServer.start("reports", "pw-" + tmp.hashCode())) {
      imap.deliver(
          "1", Files.readAllBytes(TestPaths.suite("dmarc/parsedmarc/aggregate/twilight.eml")));
      imap.deliver(
          "2",
          Files.readAllBytes(
              TestPaths.suite("dmarc/parsedmarc/failure/dmarc_ruf_report_linkedin.eml")));
      Path password = tmp.resolve("imap-password");
      Files.writeString(password, imap.password() + "\n");
      String[] args = {
        "feedback", "import",
        "--imap", "imaps://reports@127.0.0.1:" + imap.port() + "/INBOX",
        "--imap-password-file", password.toString(),
        "--imap-ca", imap.certificate().toString(),
        "--state-dir", tmp.resolve("state").toString()
      };
      CliRun first = CliRun.of(args);
      assertThat(first.status()).as(first.err() + imap.log()).isEqualTo(ExitCodes.PASS);
      assertThat(lastLine(first.out()).get("imported").asInt()).isEqualTo(2);
      CliRun second = CliRun.of(args);
      assertThat(second.out().strip()).isEqualTo("{\"imported\":0,\"duplicates\":0,\"failed\":0}");
    }
  }

  @Test
  void import_imapPasswordInUrlOrMissing_usageError(@TempDir Path tmp) {
    CliRun inUrl =
        CliRun.of(
            "feedback",
            "import",
            "--imap",
            "imaps://u:secret@127.0.0.1/INBOX",
            "--state-dir",
            tmp.toString());
    assertThat(inUrl.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(inUrl.err()).contains("not the URL").doesNotContain("secret");
    CliRun none = CliRun.of("feedback", "import", "--state-dir", tmp.toString());
    assertThat(none.status()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void summary_reverseNames_fromDns(@TempDir Path tmp) throws Exception {
    String state = tmp.resolve("state").toString();
    CliRun.of(
        "feedback",
        "import",
        TestPaths.suite("dmarc/mail-dmarc/test_dmarc.xml").toString(),
        "--state-dir",
        state);
    Path zone = tmp.resolve("reverse.zone");
    Files.writeString(
        zone,
        "$ORIGIN 2.1.in-addr.arpa.\n"
            + "@ 3600 IN SOA ns.example. host.example. 1 3600 600 86400 300\n"
            + "4.3 3600 IN PTR mail.sender.example.\n");
    CliRun run =
        CliRun.of(
            "feedback",
            "summary",
            "--domain",
            "example.com",
            "--json",
            "--zone",
            zone.toString(),
            "--state-dir",
            state);
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.PASS);
    JsonNode source = JSON.readTree(run.out()).get("sources").get(0);
    assertThat(source.get("source_ip").asText()).isEqualTo("1.2.3.4");
    assertThat(source.get("reverse_name").asText()).isEqualTo("mail.sender.example");
    assertThat(source.get("reporting_orgs").get(0).asText()).isEqualTo("Test Sender");
  }
}
