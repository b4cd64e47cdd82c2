package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.authmill.milter.MilterServer;
import org.authmill.milter.MilterSettings;
import org.authmill.milter.client.MilterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/** The start-up warm-up: synthetic mail through the real pipeline, out of real mail's way. */
class WarmupTest {
  private Vertx vertx;
  private FilterServer server;
  private final Logger messageLog =
      (Logger) LoggerFactory.getLogger(MilterServer.Setup.MESSAGE_LOGGER);
  private final ListAppender<ILoggingEvent> messageLines = new ListAppender<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    messageLines.start();
    messageLog.addAppender(messageLines);
  }

  @AfterEach
  void tearDown() throws Exception {
    messageLog.detachAppender(messageLines);
    if (server != null) {
      await(server.stop(Duration.ZERO));
    }
    await(vertx.close());
  }

  private FilterServer start(String yaml) throws Exception {
    server =
        await(
            FilterServer.start(
                vertx,
                FilterConfigYaml.parse(
                    "listen: inet:127.0.0.1:0\nauthserv-id: mx.test.local\n" + yaml, "test")));
    return server;
  }

  @Test
  void start_idleServer_sendsEveryMessageAsExpectedAndLeavesNoTrace() throws Exception {
    start("warmup-messages: 24\n");

    Warmup.Outcome outcome = await(server.warmup().orElseThrow());

    assertThat(outcome.end()).as(outcome.describe()).isEqualTo(Warmup.End.DONE);
    assertThat(outcome.messages()).isEqualTo(24);
    assertThat(outcome.describe()).startsWith("24 synthetic messages through the pipeline in");
    // the real server's meters and message log never saw the synthetic mail
    Counter messages = server.registry().find("authmill.milter.messages").counter();
    assertThat(messages == null ? 0 : messages.count()).isZero();
    assertThat(server.registry().get("authmill.milter.sessions").counter().count()).isZero();
    assertThat(messageLines.list).isEmpty();
    assertThat(server.openSessions()).isZero();
  }

  @Test
  void start_realSessionOpens_warmupGivesWay() throws Exception {
    start("warmup-messages: " + FilterConfig.MAX_WARMUP_MESSAGES + "\n");
    MilterClient real =
        await(
            MilterClient.connect(
                vertx,
                SocketAddress.inetSocketAddress(server.milterPort(), "127.0.0.1"),
                MilterClient.postfixConnectMacros(
                    "mx.test.local", "smtpd", "c.example", "1.2.3.4")));

    Warmup.Outcome outcome = await(server.warmup().orElseThrow());

    assertThat(outcome.end()).isEqualTo(Warmup.End.GAVE_WAY);
    assertThat(outcome.messages()).isLessThan(FilterConfig.MAX_WARMUP_MESSAGES);
    assertThat(outcome.describe()).endsWith("then gave way to real mail");
    await(real.quit());
  }

  @Test
  void stop_duringWarmup_endsIt() throws Exception {
    start("warmup-messages: " + FilterConfig.MAX_WARMUP_MESSAGES + "\n");
    Future<Warmup.Outcome> outcome = server.warmup().orElseThrow();

    await(server.stop(Duration.ZERO));
    server = null;

    assertThat(await(outcome).end()).isEqualTo(Warmup.End.STOPPED);
  }

  @Test
  void start_zeroMessages_noWarmup() throws Exception {
    start("warmup-messages: 0\n");

    assertThat(server.warmup()).isEmpty();
  }

  @Test
  void start_pipelineThatNeitherSignsNorVerifies_failsNamingTheDelivery() throws Exception {
    FilterConfig config = FilterConfig.defaults().withAuthservId("mx.test.local");
    Warmup warmup = new Warmup(vertx, 8, 1, () -> false);

    Warmup.Outcome outcome =
        await(
            warmup.start(
                SocketAddress.inetSocketAddress(0, "127.0.0.1"),
                mail ->
                    new MilterServer.Setup(
                        MilterSettings.DEFAULTS,
                        ForgedResultsFilter.factory(config.authservId()),
                        NOPLogger.NOP_LOGGER)));

    assertThat(outcome.end()).isEqualTo(Warmup.End.FAILED);
    assertThat(outcome.messages()).isZero();
    assertThat(outcome.detail()).contains("'inbound, signed, passing'");
  }

  @Test
  void warmupMessages_outOfRange_rejectedNamingTheKey() {
    assertThat(FilterConfig.defaults().warmupMessages())
        .isEqualTo(FilterConfig.DEFAULT_WARMUP_MESSAGES);
    for (String bad : List.of("-1", "100001")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> FilterConfigYaml.parse("warmup-messages: " + bad + "\n", "test.yml"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("warmup-messages must be 0 (off) to 100000");
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
