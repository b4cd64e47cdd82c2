package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.testkit.FreePort;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code authmill check}: SPF + DKIM + DMARC of a message, signed here by {@code authmill sign}.
 */
class CheckCommandTest {
  @TempDir static Path dir;
  private static Path zone;
  private static Path signed;
  private static Path unsigned;

  @BeforeAll
  static void prepare() throws Exception {
    DkimPrivateKey key = DkimPrivateKey.generateEd25519();
    Path keyFile = dir.resolve("ed.pem");
    Files.writeString(keyFile, key.toPkcs8Pem());
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    zone =
        Files.writeString(
            dir.resolve("zone"),
            String.join(
                "\n",
                "example.com. IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
                "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"",
                "ed._domainkey.example.com. IN TXT \"" + key.keyRecord() + "\"",
                "relay.example.net. IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"",
                "mx.example.com. IN TXT \"v=spf1 a -all\"",
                "mx.example.com. IN A 192.0.2.25",
                ""));
    unsigned =
        Files.writeString(
            dir.resolve("unsigned.eml"),
            "From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: hi\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\n\nHello Bob.\n");
    signed = dir.resolve("signed.eml");
    CliRun sign =
        CliRun.of(
            "sign",
            "-o",
            signed.toString(),
            "--domain",
            "example.com",
            "--selector",
            "ed",
            "--key",
            keyFile.toString(),
            unsigned.toString());
    assertThat(sign.status()).as(sign.err()).isZero();
    assertThat(Files.readString(signed)).startsWith("DKIM-Signature: v=1; a=ed25519-sha256;");
  }

  @Test
  void check_signedFromAllowedIp_allPassInOneHeader() {
    CliRun run =
        CliRun.of(
            "check",
            "--zone",
            zone.toString(),
            "--ip",
            "192.0.2.7",
            "--mail-from",
            "alice@example.com",
            "--helo",
            "mx.example.com",
            "--authserv-id",
            "mx.example.org",
            signed.toString());
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.PASS);
    String header = run.out().replaceAll("\n\t", " ");
    assertThat(header)
        .startsWith("Authentication-Results: mx.example.org;")
        .contains("spf=pass smtp.mailfrom=alice@example.com")
        .contains("dkim=pass header.d=example.com header.s=ed header.a=ed25519-sha256")
        .contains("dmarc=pass (p=reject dis=none) header.from=example.com");
  }

  @Test
  void check_forwardedThroughOtherIp_dkimStillCarriesDmarc() {
    CliRun run =
        CliRun.of(
            "check",
            "--zone",
            zone.toString(),
            "--ip",
            "198.51.100.9",
            "--mail-from",
            "list@relay.example.net",
            signed.toString(),
            "--json");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.PASS);
    assertThat(run.out())
        .contains("\"spf\":{\"result\":\"pass\",\"domain\":\"relay.example.net\"")
        .contains("\"dkim_result\":\"pass\"")
        .contains("\"dmarc\":{\"result\":\"pass\",\"policy\":\"reject\",\"disposition\":\"none\"")
        .contains("\"authentication_results\":\"localhost; spf=pass");
  }

  @Test
  void check_spoofUnsignedFromForeignIp_dmarcFailReject() {
    CliRun run =
        CliRun.of(
            "check",
            "--zone",
            zone.toString(),
            "--ip",
            "203.0.113.5",
            "--mail-from",
            "alice@example.com",
            "--json",
            unsigned.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(run.out())
        .contains("\"spf\":{\"result\":\"fail\"")
        .contains("\"dkim\":[]")
        .contains("\"dkim_result\":\"none\"")
        .contains(
            "\"dmarc\":{\"result\":\"fail\",\"policy\":\"reject\",\"disposition\":\"reject\","
                + "\"domain\":\"example.com\"");
  }

  @Test
  void check_tamperedBody_dkimFailsWithReason() throws Exception {
    Path tampered = dir.resolve("tampered.eml");
    Files.writeString(
        tampered,
        Files.readString(signed, StandardCharsets.ISO_8859_1).replace("Hello Bob.", "Hello Eve."),
        StandardCharsets.ISO_8859_1);
    CliRun run =
        CliRun.of(
            "check",
            "--zone",
            zone.toString(),
            "--ip",
            "203.0.113.5",
            "--mail-from",
            "alice@example.com",
            tampered.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(run.out().replaceAll("\n\t", " "))
        .contains("dkim=fail reason=\"body hash did not verify")
        .contains("dmarc=fail");
  }

  @Test
  void check_nullSender_checksPostmasterAtHelo() {
    CliRun run =
        CliRun.of(
            "check",
            "--zone",
            zone.toString(),
            "--ip",
            "192.0.2.25",
            "--mail-from",
            "",
            "--helo",
            "mx.example.com",
            "--json",
            signed.toString());
    assertThat(run.out())
        .contains("\"smtp.mailfrom\":\"postmaster@mx.example.com\"")
        .contains("\"spf\":{\"result\":\"pass\",\"domain\":\"mx.example.com\"")
        .doesNotContain("spf_helo");
  }

  @Test
  void check_nullSenderWithoutHelo_usageError() {
    CliRun run =
        CliRun.of(
            "check",
            "--zone",
            zone.toString(),
            "--ip",
            "192.0.2.7",
            "--mail-from",
            "",
            signed.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--helo");
  }

  @Test
  void check_badIp_usageErrorNamingIt() {
    CliRun run =
        CliRun.of(
            "check",
            "--zone",
            zone.toString(),
            "--ip",
            "not-an-ip",
            "--mail-from",
            "a@b.example",
            signed.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("not-an-ip");
  }

  @Test
  void check_dnsUnreachable_temperror() {
    int port = FreePort.tcpAndUdp();
    CliRun run =
        CliRun.of(
            "check",
            "--nameserver",
            "127.0.0.1:" + port,
            "--dns-timeout",
            "0.3",
            "--ip",
            "192.0.2.7",
            "--mail-from",
            "alice@example.com",
            signed.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.TEMPFAIL);
    assertThat(run.out()).contains("dmarc=temperror");
  }
}
