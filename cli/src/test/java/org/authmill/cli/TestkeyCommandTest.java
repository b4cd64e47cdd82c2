package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestkeyCommandTest {
  @Test
  void call_matchMismatchAndMissing(@TempDir Path dir) throws Exception {
    for (String type : new String[] {"rsa", "ed25519"}) {
      String out = dir.resolve(type).toString();
      Files.createDirectories(dir.resolve(type));
      CliRun gen =
          CliRun.of(
              "keygen", "--domain", "example.com", "--selector", "a", "--type", type, "--out", out);
      CliRun other =
          CliRun.of(
              "keygen", "--domain", "example.com", "--selector", "b", "--type", type, "--out", out);
      Path zone = dir.resolve(type + ".zone");
      Files.writeString(zone, gen.out() + other.out());
      Path key = dir.resolve(type).resolve("a.private");
      CliRun match =
          CliRun.of(
              "testkey",
              "--zone",
              zone.toString(),
              "--domain",
              "example.com",
              "--selector",
              "a",
              "--key",
              key.toString());
      assertThat(match.status()).as(match.out() + match.err()).isZero();
      assertThat(match.out()).startsWith("key OK");
      CliRun mismatch =
          CliRun.of(
              "testkey",
              "--zone",
              zone.toString(),
              "--domain",
              "example.com",
              "--selector",
              "b",
              "--key",
              key.toString());
      assertThat(mismatch.status()).isEqualTo(ExitCodes.NOT_PASS);
      assertThat(mismatch.out()).contains("mismatch");
      CliRun missing =
          CliRun.of(
              "testkey",
              "--zone",
              zone.toString(),
              "--domain",
              "example.com",
              "--selector",
              "c",
              "--key",
              key.toString(),
              "--json");
      assertThat(missing.status()).isEqualTo(ExitCodes.NOT_PASS);
      assertThat(missing.out()).contains("\"result\":\"nokey\"");
    }
  }
}
