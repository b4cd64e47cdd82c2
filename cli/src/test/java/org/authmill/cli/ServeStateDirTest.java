package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.authmill.testkit.FreePort;
import org.authmill.testkit.KnotServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code authmill serve --state-dir} as a process: it signs with the managed key, and after {@code
 * authmill keys rotate} in another process it signs with the new one, without a restart.
 */
class ServeStateDirTest {
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 300
      @ SOA ns1 hostmaster 1 3600 600 86400 300
      @ NS ns1
      ns1 A 127.0.0.1
      """;

  @TempDir Path dir;

  @Test
  void serve_stateDir_picksUpARotationWithoutARestart() throws Exception {
    try (KnotServer primary = KnotServer.primary("example.com", ZONE);
        KnotServer secondary = primary.startSecondary()) {
      String state = dir.resolve("state").toString();
      CliRun first =
          CliRun.of(
              "keys",
              "rotate",
              "--domain",
              "example.com",
              "--algorithm",
              "ed25519",
              "--selector",
              "first",
              "--state-dir",
              state,
              "--dns-server",
              "127.0.0.1:" + primary.port(),
              "--tsig",
              primary.tsigSpec(),
              "--authoritative",
              "127.0.0.1:" + primary.port(),
              "--authoritative",
              "127.0.0.1:" + secondary.port(),
              "--wait",
              "20s");
      assertThat(first.status()).as(first.out() + first.err()).isZero();

      int port = FreePort.tcpAndUdp();
      Path config = dir.resolve("authmill.yml");
      Files.writeString(config, "signing:\n  key-check-interval: 1s\n");
      Path log = dir.resolve("serve.log");
      Process serve =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "org.authmill.cli.Authmill",
                  "serve",
                  "--config",
                  config.toString(),
                  "--state-dir",
                  state,
                  "--listen",
                  "inet:127.0.0.1:" + port,
                  "--nameserver",
                  "127.0.0.1:" + primary.port())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Vertx vertx = Vertx.vertx();
      try {
        awaitLog(serve, log, "milter listening");
        assertThat(KeyRotationServeTest.selector(KeyRotationServeTest.signOne(vertx, port, 1)))
            .isEqualTo("first");

        CliRun second =
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
                state,
                "--wait",
                "20s");
        assertThat(second.status()).as(second.out() + second.err()).isZero();
        awaitLog(serve, log, "managed signing keys changed");
        awaitLog(serve, log, "configuration reloaded");
        assertThat(KeyRotationServeTest.selector(KeyRotationServeTest.signOne(vertx, port, 2)))
            .isEqualTo("second");
      } finally {
        vertx.close();
        serve.destroy();
        serve.waitFor(20, TimeUnit.SECONDS);
      }
      assertThat(Files.readString(log))
          .contains("example.com:first")
          .contains("example.com:second");
    }
  }

  static void awaitLog(Process p, Path log, String text) throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + text + "' in the log: " + Files.readString(log));
  }
}
