package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;

/** {@code authmill spf} against testdata/spf/edge-cases.zone. */
class SpfCommandTest {
  private static final String ZONE = TestPaths.testdata("spf/edge-cases.zone").toString();

  @Test
  void call_passPrintsResultAndExitsZero() {
    CliRun run =
        CliRun.of(
            "spf", "--ip", "192.0.2.10", "--mail-from", "user@basic.spf.test", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out())
        .contains("spf=pass smtp.mailfrom=user@basic.spf.test")
        .contains("Received-SPF: pass (")
        .contains("client-ip=192.0.2.10");
  }

  @Test
  void call_jsonHasTheRequiredKeys() throws Exception {
    CliRun run =
        CliRun.of(
            "spf",
            "--ip",
            "198.51.100.1",
            "--mail-from",
            "user@basic.spf.test",
            "--helo",
            "mail.example.org",
            "--zone",
            ZONE,
            "--json");
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("result").asText()).isEqualTo("fail");
    assertThat(json.get("domain").asText()).isEqualTo("basic.spf.test");
    assertThat(json.get("explanation").asText()).contains("198.51.100.1 is not allowed");
    assertThat(json.get("reason").asText()).contains("-all");
    assertThat(json.get("lookups").asInt()).isZero();
  }

  @Test
  void call_nullReversePathChecksPostmasterAtHelo() throws Exception {
    CliRun run =
        CliRun.of(
            "spf",
            "--ip",
            "192.0.2.30",
            "--mail-from",
            "",
            "--helo",
            "mail.helo.spf.test",
            "--zone",
            ZONE,
            "--json");
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("domain").asText()).isEqualTo("mail.helo.spf.test");
    assertThat(json.get("smtp.mailfrom").asText()).isEqualTo("postmaster@mail.helo.spf.test");
  }

  @Test
  void call_nullReversePathWithoutHeloIsUsageError() {
    CliRun run = CliRun.of("spf", "--ip", "192.0.2.30", "--mail-from", "", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--helo");
  }

  @Test
  void call_temperrorExits75() {
    CliRun run =
        CliRun.of("spf", "--ip", "192.0.2.1", "--mail-from", "a@tempfail.spf.test", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.TEMPFAIL);
    assertThat(run.out()).contains("spf=temperror");
  }

  @Test
  void call_permerrorExitsOneAndNamesTheLimit() {
    CliRun run =
        CliRun.of("spf", "--ip", "203.0.113.1", "--mail-from", "a@amp.spf.test", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(run.out()).contains("spf=permerror").contains("§4.6.4");
  }

  @Test
  void call_heloIdentity() {
    CliRun run =
        CliRun.of(
            "spf",
            "--ip",
            "192.0.2.30",
            "--mail-from",
            "x@example.org",
            "--helo",
            "mail.helo.spf.test",
            "--identity",
            "helo",
            "--zone",
            ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out()).contains("spf=pass smtp.helo=mail.helo.spf.test");
  }

  @Test
  void call_receiverAndNowFeedTheMacros() throws Exception {
    CliRun run =
        CliRun.of(
            "spf",
            "--ip",
            "2001:db8::1",
            "--mail-from",
            "a@m6exp.spf.test",
            "--receiver",
            "mx.receiver.test",
            "--now",
            "1700000000",
            "--zone",
            ZONE,
            "--json");
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("explanation").asText())
        .isEqualTo("2001:db8::1 via ip6 at mx.receiver.test time 1700000000");
  }

  @Test
  void call_badIpIsUsageErrorWithoutDnsLookup() {
    CliRun run = CliRun.of("spf", "--ip", "mail.example.org", "--mail-from", "a@b.test");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--ip mail.example.org: not an IPv4 or IPv6 address");
  }

  @Test
  void call_ipv4WithLeadingZerosIsUsageError() {
    for (String ip : new String[] {"010.0.0.1", "192.0.2.01", "::ffff:192.0.02.1"}) {
      CliRun run = CliRun.of("spf", "--ip", ip, "--mail-from", "a@basic.spf.test", "--zone", ZONE);
      assertThat(run.status()).as(ip).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err()).as(ip).contains("--ip " + ip).contains("leading zero");
    }
  }

  @Test
  void call_ipv6ZoneIndexIsUsageError() {
    CliRun run =
        CliRun.of("spf", "--ip", "fe80::1%eth0", "--mail-from", "a@basic.spf.test", "--zone", ZONE);
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--ip fe80::1%eth0");
  }
}
