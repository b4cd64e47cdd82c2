package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.authmill.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The milter server driven by Debian's {@code miltertest} (OpenDKIM's Lua-scripted milter test
 * client): each script in {@code src/test/miltertest/} runs against a server with the forged
 * Authentication-Results filter for authserv-id {@code mx.test}, port in {@code MILTER_PORT}.
 */
class MilterServerTest {
  private static final Path SCRIPTS = Path.of("src/test/miltertest");
  private static Vertx vertx;
  private static MilterServer server;
  private static MilterMetrics metrics;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    metrics = new MilterMetrics(new SimpleMeterRegistry());
    server =
        MilterServer.start(
                vertx,
                SocketAddress.inetSocketAddress(0, "127.0.0.1"),
                2,
                new MilterServer.Setup(
                    MilterSettings.DEFAULTS, ForgedFieldFilter.factory("mx.test")),
                metrics)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    server
        .shutdown(Duration.ofSeconds(1))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @TestFactory
  Stream<DynamicTest> miltertest_scripts() throws IOException {
    Path miltertest = Peers.command("miltertest", "miltertest");
    List<Path> scripts;
    try (Stream<Path> files = Files.list(SCRIPTS)) {
      scripts = files.filter(p -> p.toString().endsWith(".lua")).sorted().toList();
    }
    assertThat(scripts).hasSizeGreaterThanOrEqualTo(3);
    return scripts.stream()
        .map(
            script ->
                DynamicTest.dynamicTest(
                    script.getFileName().toString(), () -> run(miltertest, script)));
  }

  private static void run(Path miltertest, Path script) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(miltertest.toString(), "-s", script.toString())
            .redirectErrorStream(true);
    pb.environment().put("MILTER_PORT", Integer.toString(server.port()));
    Process p = pb.start();
    String output;
    try (var in = p.getInputStream()) {
      boolean done = p.waitFor(60, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(done).as("miltertest finished: " + output).isTrue();
    }
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("PASS");
    Instant deadline = Instant.now().plusSeconds(10);
    while (metrics.openSessions() > 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(metrics.openSessions()).as("sessions left open").isZero();
  }

  @Test
  void port_isTheBoundOne() {
    assertThat(server.port()).isPositive();
    assertThat(server.address().host()).isEqualTo("127.0.0.1");
  }
}
