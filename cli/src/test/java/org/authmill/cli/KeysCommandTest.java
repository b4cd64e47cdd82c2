package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.authmill.testkit.KnotServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code authmill keys ...} against a real Knot primary and secondary. */
class KeysCommandTest {
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 300
      @ SOA ns1 hostmaster 1 3600 600 86400 300
      @ NS ns1
      ns1 A 127.0.0.1
      """;

  static KnotServer primary;
  static KnotServer secondary;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    primary = KnotServer.primary("example.com", ZONE);
    secondary = primary.startSecondary();
  }

  @AfterAll
  static void stop() {
    if (secondary != null) {
      secondary.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  List<String> rotate(String prefix, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "keys",
                "rotate",
                "--domain",
                "example.com",
                "--algorithm",
                "ed25519",
                "--state-dir",
                dir.toString(),
                "--selector-format",
                prefix + "-%a-%Y%m%d",
                "--authoritative",
                "127.0.0.1:" + primary.port(),
                "--authoritative",
                "127.0.0.1:" + secondary.port(),
                "--wait",
                "10s"));
    args.addAll(List.of(extra));
    return args;
  }

  @Test
  void rotate_updateServer_activatesAndStatusShowsIt() throws Exception {
    Path tsig = dir.resolve("tsig.key");
    Files.writeString(tsig, primary.tsigSpec() + "\n");
    CliRun run =
        CliRun.of(
            rotate(
                    "cli",
                    "--dns-server",
                    "127.0.0.1:" + primary.port(),
                    "--tsig-file",
                    tsig.toString())
                .toArray(String[]::new));
    assertThat(run.status()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("signs now");

    CliRun status = CliRun.of("keys", "status", "--json", "--state-dir", dir.toString());
    assertThat(status.status()).isZero();
    JsonNode keys = new ObjectMapper().readTree(status.out()).get("keys");
    assertThat(keys).hasSize(1);
    JsonNode key = keys.get(0);
    assertThat(key.get("domain").asText()).isEqualTo("example.com");
    assertThat(key.get("selector").asText()).startsWith("cli-ed25519-");
    assertThat(key.get("algorithm").asText()).isEqualTo("ed25519");
    assertThat(key.get("state").asText()).isEqualTo("active");
    assertThat(key.get("published").isTextual()).isTrue();
    assertThat(key.has("next_step")).isTrue();
    assertThat(key.has("next_at")).isTrue();

    Path keysDir = dir.resolve("keys");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keysDir.resolve("state.json"))))
        .isEqualTo("rw-------");

    // the settings are kept: a second rotation needs only the domain; the first key then retires
    CliRun again =
        CliRun.of(
            "keys",
            "rotate",
            "--domain",
            "example.com",
            "--algorithm",
            "ed25519",
            "--selector",
            "second",
            "--state-dir",
            dir.toString());
    assertThat(again.status()).as(again.out() + again.err()).isZero();
    CliRun early = CliRun.of("keys", "retire", "--state-dir", dir.toString());
    assertThat(early.out()).contains("nothing to retire now");
    CliRun now =
        CliRun.of(
            "keys", "retire", "--now", "--domain", "example.com", "--state-dir", dir.toString());
    assertThat(now.status()).as(now.out() + now.err()).isZero();
    assertThat(now.out()).contains("retired").contains("deleted its record");
    CliRun table = CliRun.of("keys", "status", "--state-dir", dir.toString());
    assertThat(table.out()).contains("second").contains("active").doesNotContain("cli-ed25519");
  }

  @Test
  void rotate_wrongTsig_exitsOneWithWhatToDo() {
    String wrong =
        KnotServer.TSIG_ALGORITHM
            + ":"
            + KnotServer.TSIG_NAME
            + ":"
            + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    CliRun run =
        CliRun.of(
            rotate("bad", "--dns-server", "127.0.0.1:" + primary.port(), "--tsig", wrong)
                .toArray(String[]::new));
    assertThat(run.status()).isEqualTo(ExitCodes.NOT_PASS);
    assertThat(run.err()).contains("failed:").contains("BADSIG").contains("copy the secret again");
  }

  @Test
  void rotate_noUpdateServer_printsRecordExits75ThenConfirmActivates() throws Exception {
    CliRun run = CliRun.of(rotate("hand").toArray(String[]::new));
    assertThat(run.status()).isEqualTo(ExitCodes.TEMPFAIL);
    assertThat(run.out()).contains("waiting: publish this record").contains("keys confirm");
    String line = run.out().lines().filter(l -> l.contains("IN TXT")).findFirst().orElseThrow();
    String name = line.substring(0, line.indexOf(". "));
    String text = line.substring(line.indexOf("( \"") + 3, line.lastIndexOf("\" )"));
    // the operator publishes it
    org.authmill.dns.DnsUpdater.builder(primary.address())
        .tsig(org.authmill.dns.TsigKey.parse(primary.tsigSpec()))
        .build()
        .addTxt("example.com", name, 300, text)
        .toCompletableFuture()
        .join();
    secondary.awaitSerialOf(primary);
    CliRun confirm =
        CliRun.of("keys", "confirm", "--domain", "example.com", "--state-dir", dir.toString());
    assertThat(confirm.status()).as(confirm.out() + confirm.err()).isZero();
    assertThat(confirm.out()).contains("signs now");
  }

  @Test
  void rotate_badInput_exitsTwoNamingIt() {
    CliRun alg =
        CliRun.of(
            "keys",
            "rotate",
            "--domain",
            "example.com",
            "--algorithm",
            "dsa",
            "--state-dir",
            dir.toString());
    assertThat(alg.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(alg.err()).contains("dsa");
    CliRun tsig =
        CliRun.of(
            "keys",
            "rotate",
            "--domain",
            "example.com",
            "--tsig",
            "nonsense",
            "--state-dir",
            dir.toString());
    assertThat(tsig.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(tsig.err()).contains("ALG:NAME:SECRET");
    CliRun confirm =
        CliRun.of("keys", "confirm", "--domain", "example.org", "--state-dir", dir.toString());
    assertThat(confirm.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(confirm.err()).contains("no key of example.org");
  }
}
