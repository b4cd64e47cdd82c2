package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.authmill.dns.ZoneResolver;
import org.authmill.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
  @Test
  void call_rsa_writesKeyAndSplitRecord(@TempDir Path dir) throws Exception {
    CliRun run =
        CliRun.of("keygen", "--domain", "example.com", "--selector", "s1", "--out", dir.toString());
    assertThat(run.status()).as(run.err()).isZero();
    Path key = dir.resolve("s1.private");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(run.out()).startsWith("s1._domainkey.example.com. IN TXT (");
    for (String string : run.out().split("\"")) {
      assertThat(string.length()).isLessThanOrEqualTo(255);
    }
    // the printed record is a valid master file entry whose joined text is the key record
    String txt =
        ZoneResolver.fromText(run.out())
            .txt("s1._domainkey.example.com")
            .toCompletableFuture()
            .join()
            .values()
            .get(0);
    assertThat(txt).startsWith("v=DKIM1; k=rsa; p=MIIB");
    Path openssl = Peers.command("openssl", "openssl");
    Process p =
        new ProcessBuilder(openssl.toString(), "pkey", "-in", key.toString(), "-noout")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(
            CliRun.of(
                    "keygen",
                    "--domain",
                    "example.com",
                    "--selector",
                    "s1",
                    "--out",
                    dir.toString())
                .status())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void call_outMissing_createsTheDirectory(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys/example.com");
    CliRun run =
        CliRun.of(
            "keygen", "--domain", "example.com", "--selector", "s1", "--out", keys.toString());
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(keys.resolve("s1.private")).isRegularFile();
    Files.writeString(dir.resolve("file"), "x");
    CliRun notDir =
        CliRun.of(
            "keygen",
            "--domain",
            "example.com",
            "--selector",
            "s1",
            "--out",
            dir.resolve("file").toString());
    assertThat(notDir.status()).isEqualTo(2);
    assertThat(notDir.err()).contains("is not a directory");
  }

  @Test
  void call_ed25519_oneString(@TempDir Path dir) throws Exception {
    CliRun run =
        CliRun.of(
            "keygen",
            "--domain",
            "example.com",
            "--selector",
            "e1",
            "--type",
            "ed25519",
            "--out",
            dir.toString());
    assertThat(run.status()).isZero();
    assertThat(run.out())
        .matches(
            "e1\\._domainkey\\.example\\.com\\. IN TXT \\( \"v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=\" \\)\\s*");
  }

  @Test
  void call_badBits_usage(@TempDir Path dir) {
    CliRun run =
        CliRun.of(
            "keygen",
            "--domain",
            "example.com",
            "--selector",
            "s",
            "--bits",
            "512",
            "--out",
            dir.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("1024 to 8192");
  }
}
