package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.authmill.dkim.DkimPrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArcCommandTest {
  private static final String MESSAGE =
      "Authentication-Results: list.example; spf=pass smtp.mailfrom=author.example\n"
          + "From: Author <a@author.example>\n"
          + "To: list@list.example\n"
          + "Subject: hello\n"
          + "Date: Thu, 03 Dec 2026 09:00:00 +0000\n"
          + "\n"
          + "Hello.\n";

  @TempDir static Path dir;
  static Path key;
  static Path zone;
  static Path message;

  @BeforeAll
  static void keys() throws Exception {
    DkimPrivateKey rsa = DkimPrivateKey.generateRsa(2048);
    key = dir.resolve("arc.pem");
    Files.writeString(key, rsa.toPkcs8Pem());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    StringBuilder record = new StringBuilder("arc._domainkey.list.example. 300 IN TXT");
    String text = rsa.keyRecord();
    for (int i = 0; i < text.length(); i += 255) {
      record.append(" \"").append(text, i, Math.min(text.length(), i + 255)).append('"');
    }
    zone = dir.resolve("zone");
    Files.writeString(zone, record + "\n");
    message = dir.resolve("message.eml");
    Files.writeString(message, MESSAGE);
  }

  private static Path seal(Path input, String name) {
    Path sealed = dir.resolve(name);
    CliRun run =
        CliRun.of(
            "arc",
            "seal",
            "--domain",
            "list.example",
            "--selector",
            "arc",
            "--key",
            key.toString(),
            "--authserv-id",
            "list.example",
            "--timestamp",
            "1760000000",
            "--zone",
            zone.toString(),
            "-o",
            sealed.toString(),
            input.toString());
    assertThat(run.status()).as(run.err()).isZero();
    return sealed;
  }

  @Test
  void seal_thenVerify_passesWithJson() throws Exception {
    Path sealed = seal(message, "sealed.eml");
    String text = Files.readString(sealed);
    assertThat(text)
        .startsWith("ARC-Seal: a=rsa-sha256;")
        .contains("\nARC-Authentication-Results: i=1; list.example; arc=none;")
        .contains("t=1760000000")
        .endsWith(MESSAGE)
        .doesNotContain("\r"); // the input's LF line ends are kept
    CliRun run = CliRun.of("arc", "verify", "--zone", zone.toString(), "--json", sealed.toString());
    assertThat(run.status()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .startsWith("{\"cv\":\"pass\",\"reason\":\"ARC chain of 1 set verified")
        .contains("\"instances\":1,\"oldest_pass\":1,\"sealers\":[{\"instance\":1,")
        .contains("\"domain\":\"list.example\",\"selector\":\"arc\",\"cv\":\"none\"");
  }

  @Test
  void seal_twice_twoSetsPass() throws Exception {
    Path twice = seal(seal(message, "once.eml"), "twice.eml");
    CliRun run = CliRun.of("arc", "verify", "--zone", zone.toString(), twice.toString());
    assertThat(run.status()).as(run.out()).isZero();
    assertThat(run.out()).startsWith("arc: pass (ARC chain of 2 sets verified").contains("set 2:");
  }

  @Test
  void verify_changedBody_failsWithStatusOne() throws Exception {
    Path sealed = seal(message, "tampered.eml");
    Files.writeString(sealed, Files.readString(sealed) + "added\n");
    CliRun run = CliRun.of("arc", "verify", "--zone", zone.toString(), "--json", sealed.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(run.out()).startsWith("{\"cv\":\"fail\",\"reason\":\"ARC-Message-Signature i=1");
  }

  @Test
  void verify_noChain_noneWithStatusOne() {
    CliRun run =
        CliRun.of("arc", "verify", "--zone", zone.toString(), "--json", message.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(run.out())
        .isEqualTo(
            "{\"cv\":\"none\",\"reason\":\"no ARC sets on the message\",\"instances\":0,"
                + "\"oldest_pass\":0,\"sealers\":[]}\n");
  }

  @Test
  void check_sealedMessage_reportsArcInJsonAndHeader() throws Exception {
    Path sealed = seal(message, "checked.eml");
    CliRun json =
        CliRun.of(
            "check",
            "--ip",
            "192.0.2.1",
            "--mail-from",
            "a@author.example",
            "--zone",
            zone.toString(),
            "--json",
            sealed.toString());
    assertThat(json.out())
        .contains("\"arc\":{\"cv\":\"pass\",\"reason\":\"ARC chain of 1 set verified")
        .contains("\"override\":null")
        .contains("arc=pass header.oldest-pass=1 smtp.remote-ip=192.0.2.1 arc.chain=list.example");
    CliRun text =
        CliRun.of(
            "check",
            "--ip",
            "192.0.2.1",
            "--mail-from",
            "a@author.example",
            "--zone",
            zone.toString(),
            sealed.toString());
    assertThat(text.out()).startsWith("Authentication-Results: localhost;").contains("arc=pass");
  }

  @Test
  void verify_missingFile_statusTwo() {
    CliRun run =
        CliRun.of("arc", "verify", "--zone", zone.toString(), dir.resolve("nope").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("no such message file");
  }

  @Test
  void seal_badDomain_statusTwo() {
    CliRun run =
        CliRun.of(
            "arc",
            "seal",
            "--domain",
            "bad domain",
            "--selector",
            "arc",
            "--key",
            key.toString(),
            "--authserv-id",
            "x",
            "--zone",
            zone.toString(),
            message.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("invalid domain");
  }
}
