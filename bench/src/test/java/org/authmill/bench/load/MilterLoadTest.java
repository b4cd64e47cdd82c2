package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.authmill.milter.MilterReply;
import org.authmill.milter.client.MilterMessage;
import org.authmill.milter.client.MilterResult;
import org.authmill.server.FilterConfig;
import org.authmill.server.FilterConfigYaml;
import org.authmill.server.FilterServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MilterLoadTest {
  @TempDir Path dir;

  /**
   * The generator against the filter in-process (DNS from the bench domain's zone text): every
   * message completes with dkim=pass, at saturation and at a fixed offered rate, over connections
   * that carry more than one message. Counts only; nothing here is timed.
   */
  @Test
  void run_againstFilterServer_everyMessageVerified() throws Exception {
    BenchDomain domain = BenchDomain.generate();
    Path zone = Files.writeString(dir.resolve("zone"), domain.zone());
    List<MilterMessage> pool = LoadMessages.forMilter(LoadMessages.signed(3, 2048, domain.key()));
    Vertx vertx = Vertx.vertx();
    try {
      FilterConfig config =
          FilterConfigYaml.parse(
              String.join(
                  "\n",
                  "listen: inet:127.0.0.1:0",
                  "authserv-id: " + BenchDomain.AUTHSERV_ID,
                  "dns:",
                  "  zone-file: " + zone,
                  ""),
              "test");
      FilterServer server =
          FilterServer.start(vertx, config)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      SocketAddress target = SocketAddress.inetSocketAddress(server.milterPort(), "127.0.0.1");
      LoadResult saturation =
          MilterLoad.run(
              vertx, new MilterLoad.Settings("authmill", target, 3, 10, 0, 2), pool, 120);
      assertThat(saturation.messages()).isEqualTo(10);
      assertThat(saturation.passed()).isEqualTo(10);
      assertThat(saturation.failures()).isZero();
      assertThat(saturation.p50Millis()).isPositive().isLessThanOrEqualTo(saturation.p999Millis());
      LoadResult fixed =
          MilterLoad.run(
              vertx, new MilterLoad.Settings("authmill", target, 2, 6, 500, 1), pool, 120);
      assertThat(fixed.offeredRate()).isEqualTo(500);
      assertThat(fixed.messages()).isEqualTo(6);
      assertThat(fixed.passed()).isEqualTo(6);
      server
          .stop(Duration.ofSeconds(1))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static MilterResult result(MilterReply last, MilterReply... mods) {
    return new MilterResult("eom", last, List.of(mods), Optional.empty(), 0);
  }

  @Test
  void passed_insertedResultsWithDkimPass_true() {
    assertThat(
            MilterLoad.passed(
                result(
                    new MilterReply.Continue(),
                    new MilterReply.InsertHeader(
                        0, "Authentication-Results", " mx.test.local; dkim=pass header.d=x"))))
        .isTrue();
    assertThat(
            MilterLoad.passed(
                result(
                    new MilterReply.Accept(),
                    new MilterReply.AddHeader("authentication-results", "mx; dkim=pass"))))
        .isTrue();
  }

  @Test
  void passed_failOrOtherFieldOrRejected_false() {
    MilterReply fail =
        new MilterReply.InsertHeader(0, "Authentication-Results", "mx; dkim=fail header.d=x");
    assertThat(MilterLoad.passed(result(new MilterReply.Continue(), fail))).isFalse();
    MilterReply other = new MilterReply.AddHeader("X-Note", "dkim=pass");
    assertThat(MilterLoad.passed(result(new MilterReply.Continue(), other))).isFalse();
    MilterReply pass = new MilterReply.AddHeader("Authentication-Results", "mx; dkim=pass");
    assertThat(MilterLoad.passed(result(new MilterReply.Reject(), pass))).isFalse();
    assertThat(MilterLoad.passed(result(new MilterReply.Continue()))).isFalse();
  }
}
