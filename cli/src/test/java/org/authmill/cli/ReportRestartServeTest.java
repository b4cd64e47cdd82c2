package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.authmill.milter.client.MilterClient;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.report.AggregateReport;
import org.authmill.report.CountedRow;
import org.authmill.report.ReportReader;
import org.authmill.report.ReportXml;
import org.authmill.report.StoredRow;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.authmill.testkit.FreePort;
import org.authmill.testkit.PostgresServer;
import org.authmill.testkit.SmtpSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault "the filter restarted between recording and sending" with real parts: {@code authmill
 * serve} as its own process, fed over the milter protocol as Postfix does, stopped by a real
 * SIGTERM while the counts are only in memory (the flush interval is an hour), started again on the
 * same store (the embedded SQLite file, or PostgreSQL), and smtp-sink receiving the reports. After
 * the one-minute period ends, exactly one report per policy domain arrives, counting every message
 * of both runs once; {@code authmill report send} afterwards sends nothing more.
 */
class ReportRestartServeTest {
  private static final String ZONE =
      "_dmarc.a.example. 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@a.example\"\n"
          + "a.example. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"\n"
          + "_dmarc.b.example. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:rua@b.example\"\n"
          + "b.example. 300 IN TXT \"v=spf1 ip4:192.0.2.20 -all\"\n";

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private PostgresServer postgres;
  private SmtpSink sink;
  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (sink != null) {
      sink.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "postgresql"})
  void serve_sigtermBetweenRecordingAndSending_losesAndRepeatsNothing(String backend)
      throws Exception {
    sink = SmtpSink.start();
    List<String> storeArgs;
    StoreLocation location;
    if (backend.equals("postgresql")) {
      postgres = PostgresServer.start();
      String url = postgres.createDatabase();
      storeArgs = List.of("--report-store", url);
      location = StoreLocation.url(url);
    } else {
      Path state = dir.resolve("state");
      storeArgs = List.of("--state-dir", state.toString());
      location = StoreLocation.embedded(state);
    }
    Path zone = Files.writeString(dir.resolve("report.zone"), ZONE);
    Path config =
        Files.writeString(
            dir.resolve("authmill.yml"),
            "authserv-id: mx.test.local\n"
                + "report:\n"
                + "  org: Receiver Org\n"
                + "  email: dmarc-reports@receiver.example\n"
                + "  period: 1m\n"
                + "  flush-interval: 1h\n"
                + "  send-interval: 1s\n"
                + "  send-delay: 0s\n"
                + "  relay: 127.0.0.1:"
                + sink.port()
                + "\n");
    vertx = Vertx.vertx();

    awaitFreshMinute(50);
    long period = Instant.now().getEpochSecond() / 60;

    // First run: 9 messages, held in memory only (the flush interval is an hour).
    int port = FreePort.tcpAndUdp();
    Process first = serve(config, zone, storeArgs, port, dir.resolve("first.log"));
    for (int i = 0; i < 4; i++) {
      send(port, "192.0.2.10", "a.example", i);
    }
    for (int i = 0; i < 2; i++) {
      send(port, "198.51.100.5", "a.example", 10 + i);
    }
    for (int i = 0; i < 3; i++) {
      send(port, "192.0.2.20", "b.example", 20 + i);
    }
    assertThat(recorded(location)).as("counts held in memory before SIGTERM").isZero();

    // SIGTERM: the held counts are written before the process exits.
    signal(first, "TERM");
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
    assertThat(first.exitValue()).isZero();
    assertThat(Files.readString(dir.resolve("first.log"))).contains("stopped");
    assertThat(recorded(location)).as("written on SIGTERM").isEqualTo(9);
    assertThat(sink.messages()).as("the period has not ended yet").isEmpty();

    // Second run on the same store: 3 more messages in the same period, then it sends.
    int port2 = FreePort.tcpAndUdp();
    Process second = serve(config, zone, storeArgs, port2, dir.resolve("second.log"));
    for (int i = 0; i < 2; i++) {
      send(port2, "192.0.2.10", "a.example", 30 + i);
    }
    send(port2, "192.0.2.20", "b.example", 40);
    assertThat(Instant.now().getEpochSecond() / 60)
        .as("all messages in one period (the machine was too slow if not)")
        .isEqualTo(period);

    List<Path> files = sink.awaitMessages(2, Duration.ofSeconds(150));
    Thread.sleep(3000);
    assertThat(sink.messages()).as("exactly one report per policy domain").hasSize(2);
    Map<String, AggregateReport> reports = new HashMap<>();
    for (Path f : files) {
      AggregateReport r = ReportXml.parse(attachment(f));
      reports.put(r.published().domain(), r);
    }
    AggregateReport a = reports.get("a.example");
    AggregateReport b = reports.get("b.example");
    assertThat(a).isNotNull();
    assertThat(b).isNotNull();
    assertThat(a.metadata().begin()).isEqualTo(period * 60);
    assertThat(a.messageCount()).isEqualTo(8);
    assertThat(a.records())
        .extracting(r -> r.row().sourceIp() + "=" + r.count())
        .containsExactlyInAnyOrder("192.0.2.10=6", "198.51.100.5=2");
    assertThat(b.records()).extracting(CountedRow::count).containsExactly(4L);

    signal(second, "TERM");
    assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
    assertThat(second.exitValue()).isZero();
    assertThat(Files.readString(dir.resolve("second.log"))).contains("stopped");

    // A later send run (cron) finds nothing left to send.
    List<String> args =
        new ArrayList<>(
            List.of(
                "report",
                "send",
                "--json",
                "--report-org",
                "Receiver Org",
                "--report-email",
                "dmarc-reports@receiver.example",
                "--send-delay",
                "0",
                "--relay",
                "127.0.0.1:" + sink.port(),
                "--zone",
                zone.toString()));
    args.addAll(storeArgs);
    CliRun again = CliRun.of(args.toArray(String[]::new));
    assertThat(again.status()).as(again.err()).isEqualTo(ExitCodes.PASS);
    JsonNode summary = new ObjectMapper().readTree(again.out());
    assertThat(summary.get("reports").asInt()).isZero();
    assertThat(summary.get("sent").asInt()).isZero();
    Thread.sleep(500);
    assertThat(sink.messages()).hasSize(2);
    assertThat(recorded(location)).isEqualTo(12);
  }

  private Process serve(Path config, Path zone, List<String> storeArgs, int port, Path log)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.authmill.cli.Authmill",
                "serve",
                "--config",
                config.toString(),
                "--listen",
                "inet:127.0.0.1:" + port,
                "--zone",
                zone.toString()));
    command.addAll(storeArgs);
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    ServeStateDirTest.awaitLog(p, log, "milter listening on inet:127.0.0.1:" + port);
    return p;
  }

  private void send(int port, String ip, String domain, int n) throws Exception {
    MilterClient c =
        await(
            MilterClient.connect(
                vertx,
                SocketAddress.inetSocketAddress(port, "127.0.0.1"),
                MilterClient.postfixConnectMacros("mx.test.local", "smtpd", "mta." + domain, ip)));
    try {
      await(c.connectEvent("mta." + domain, InetAddress.getByName(ip), 40000));
      await(c.helo("mta." + domain, Map.of()));
      byte[] message =
          ("From: <user@"
                  + domain
                  + ">\r\nTo: <bob@receiver.example>\r\nSubject: m"
                  + n
                  + "\r\nMessage-ID: <"
                  + n
                  + "@"
                  + domain
                  + ">\r\n\r\nHello.\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      MilterResult r =
          await(
              c.send(
                  MilterTransaction.of(
                      "bounce@" + domain, List.of("bob@receiver.example"), message, "Q" + n)));
      assertThat(r.finalReply()).isNotNull();
    } finally {
      await(c.quit());
    }
  }

  /** The messages the store holds counts for. */
  private static long recorded(StoreLocation location) {
    try (Store store = Store.builder(location).build()) {
      return new ReportReader(store)
          .rows(Optional.empty(), 0, Long.MAX_VALUE).stream().mapToLong(StoredRow::count).sum();
    }
  }

  /** Waits until at least {@code seconds} are left in the current minute. */
  private static void awaitFreshMinute(int seconds) throws InterruptedException {
    long left = 60 - Instant.now().getEpochSecond() % 60;
    if (left < seconds) {
      Thread.sleep(left * 1000 + 200);
    }
  }

  private static void signal(Process p, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The XML of the gzip attachment of a message smtp-sink saved. */
  static byte[] attachment(Path file) throws Exception {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int start = text.indexOf("filename=\"");
    int body = text.indexOf("\r\n\r\n", start);
    if (body < 0) {
      body = text.indexOf("\n\n", start);
    }
    int end = text.indexOf("--", body);
    byte[] gz = Base64.getMimeDecoder().decode(text.substring(body, end).strip());
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
