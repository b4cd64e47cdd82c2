package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.authmill.testkit.FreePort;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  /** RFC 8463 Appendix A's two key records, as a master file. */
  static final String RFC8463_ZONE =
      "brisbane._domainkey.football.example.com. 300 IN TXT"
          + " \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n"
          + "test._domainkey.football.example.com. 300 IN TXT \"v=DKIM1; k=rsa;"
          + " p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\"\n";

  @Test
  void call_rfc8463Message_passesTwice(@TempDir Path dir) throws Exception {
    Path zone = dir.resolve("zone");
    Files.writeString(zone, RFC8463_ZONE);
    String message = TestPaths.suite("dkim/rfc8463/signed.eml").toString();
    CliRun run = CliRun.of("verify", "--zone", zone.toString(), "--now", "1528637909", message);
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("signature 1: pass (d=football.example.com s=brisbane a=ed25519-sha256")
        .contains("signature 2: pass (d=football.example.com s=test a=rsa-sha256, 1024-bit key)")
        .endsWith("result: pass\n");
    CliRun json = CliRun.of("verify", "--zone", zone.toString(), "--json", message);
    assertThat(json.out())
        .startsWith(
            "{\"result\":\"pass\",\"signatures\":[{\"result\":\"pass\",\"domain\":\"football.example.com\",\"selector\":\"brisbane\",\"algorithm\":\"ed25519-sha256\",\"reason\":\"signature verified\"");
  }

  @Test
  void call_unsigned_none(@TempDir Path dir) throws Exception {
    Path message = dir.resolve("m");
    Files.writeString(message, "From: a@example.com\n\nhi\n");
    Path zone = dir.resolve("zone");
    Files.writeString(zone, RFC8463_ZONE);
    CliRun run = CliRun.of("verify", "--zone", zone.toString(), "--json", message.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(run.out()).isEqualTo("{\"result\":\"none\",\"signatures\":[]}\n");
  }

  @Test
  void call_dnsUnreachable_temperror() {
    int port = FreePort.tcpAndUdp();
    CliRun run =
        CliRun.of(
            "verify",
            "--nameserver",
            "127.0.0.1:" + port,
            "--dns-timeout",
            "0.3",
            TestPaths.suite("dkim/rfc8463/signed.eml").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.TEMPFAIL);
    assertThat(run.out()).contains("temperror").contains("result: temperror");
  }

  @Test
  void call_missingFile_usage() {
    CliRun run = CliRun.of("verify", "--zone", "/nonexistent.zone", "/nonexistent.eml");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
  }
}
