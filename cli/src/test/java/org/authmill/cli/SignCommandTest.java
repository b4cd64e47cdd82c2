package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.Peers;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignCommandTest {
  private static final String MESSAGE =
      "From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: hello\n\nHi Bob.\n";

  private static String keygen(Path dir, String selector, String type) {
    CliRun run =
        CliRun.of(
            "keygen",
            "--domain",
            "example.com",
            "--selector",
            selector,
            "--type",
            type,
            "--out",
            dir.toString());
    assertThat(run.status()).as(run.err()).isZero();
    return run.out();
  }

  @Test
  void call_rsaAndEd25519_keepLineEndsAndVerify(@TempDir Path dir) throws Exception {
    String zoneText = keygen(dir, "r", "rsa") + keygen(dir, "e", "ed25519");
    Path zone = dir.resolve("zone");
    Files.writeString(zone, zoneText);
    for (String lineBreak : new String[] {"\n", "\r\n"}) {
      Path message = dir.resolve("message");
      Files.writeString(message, MESSAGE.replace("\n", lineBreak));
      Path signed = dir.resolve("signed");
      CliRun run =
          CliRun.of(
              "sign",
              "--domain",
              "example.com",
              "--selector",
              "r",
              "--selector",
              "e",
              "--key",
              dir.resolve("r.private").toString(),
              "--key",
              dir.resolve("e.private").toString(),
              "--now",
              "1700000000",
              "-o",
              signed.toString(),
              message.toString());
      assertThat(run.status()).as(run.err()).isZero();
      String text = Files.readString(signed, StandardCharsets.ISO_8859_1);
      assertThat(text).endsWith(MESSAGE.replace("\n", lineBreak));
      assertThat(text).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;");
      assertThat(text).contains("t=1700000000;");
      if (lineBreak.equals("\n")) {
        assertThat(text).doesNotContain("\r");
      } else {
        assertThat(text.replace("\r\n", "")).doesNotContain("\n");
      }
      CliRun verify = CliRun.of("verify", "--zone", zone.toString(), signed.toString());
      assertThat(verify.status()).as(verify.out()).isZero();
      assertThat(verify.out()).contains("signature 1: pass").contains("signature 2: pass");
    }
  }

  @Test
  void call_refusals_exitUsage(@TempDir Path dir) throws Exception {
    keygen(dir, "r", "ed25519");
    Path noFrom = dir.resolve("nofrom");
    Files.writeString(noFrom, "To: bob@example.org\n\nHi\n");
    String key = dir.resolve("r.private").toString();
    CliRun run =
        CliRun.of(
            "sign",
            "--domain",
            "example.com",
            "--selector",
            "r",
            "--key",
            key,
            noFrom.toString(),
            "-o",
            dir.resolve("x").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("no From header field");
    Files.setPosixFilePermissions(
        dir.resolve("r.private"), PosixFilePermissions.fromString("rw-r--r--"));
    run =
        CliRun.of(
            "sign", "--domain", "example.com", "--selector", "r", "--key", key, noFrom.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("r.private")
        .contains("can be read or written by group or others (rw-r--r--)")
        .contains("chmod 600")
        .contains("--insecure-key-permissions");
    run =
        CliRun.of(
            "sign",
            "--domain",
            "example.com",
            "--selector",
            "r",
            "--key",
            key,
            "--insecure-key-permissions",
            "--algorithm",
            "rsa-sha256",
            noFrom.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("does not suit");
    run =
        CliRun.of(
            "sign",
            "--domain",
            "example.com",
            "--selector",
            "r",
            "--key",
            key,
            "--insecure-key-permissions",
            "--canon",
            "loose/simple",
            noFrom.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void call_signedMessage_dkimpyVerifies(@TempDir Path dir) throws Exception {
    Path python = Peers.python3Module("dkim", "python3-dkim");
    String zoneText = keygen(dir, "r", "rsa") + keygen(dir, "e", "ed25519");
    try (NsdServer nsd = NsdServer.serving(zoneText)) {
      Path message = dir.resolve("message");
      Files.writeString(message, MESSAGE);
      for (String canon : new String[] {"simple/simple", "relaxed/relaxed", "relaxed/simple"}) {
        for (String selector : new String[] {"r", "e"}) {
          Path signed = dir.resolve("signed");
          CliRun run =
              CliRun.of(
                  "sign",
                  "--domain",
                  "example.com",
                  "--selector",
                  selector,
                  "--key",
                  dir.resolve(selector + ".private").toString(),
                  "--canon",
                  canon,
                  "-o",
                  signed.toString(),
                  message.toString());
          assertThat(run.status()).as(run.err()).isZero();
          Process p =
              new ProcessBuilder(
                      python.toString(),
                      TestPaths.testdata("dkim/dkimpy_peer.py").toString(),
                      "verify",
                      String.valueOf(nsd.port()))
                  .redirectInput(signed.toFile())
                  .redirectErrorStream(true)
                  .start();
          // dkimpy gets the LF file as it is; it treats LF as the line end, as authmill did
          String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
          assertThat(out.strip()).as(canon + " " + selector).isEqualTo("pass");
        }
      }
    }
  }
}
