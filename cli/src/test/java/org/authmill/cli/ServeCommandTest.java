package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.authmill.milter.MilterReply;
import org.authmill.milter.client.MilterClient;
import org.authmill.milter.client.MilterMessage;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.server.FilterConfig;
import org.authmill.testkit.FreePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir Path dir;
  private Process process;
  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static ServeCommand parse(String... args) {
    CommandLine cli = Authmill.commandLine();
    CommandLine.ParseResult result = cli.parseArgs(prepend("serve", args));
    CommandLine sub = result.subcommand().commandSpec().commandLine();
    return sub.getCommand();
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Test
  void configuration_defaultsWithoutOptions() {
    FilterConfig c = parse().configuration();
    assertThat(c.listen().toString()).isEqualTo("inet:127.0.0.1:8891");
    assertThat(c.trustedNetworks()).isEmpty();
    assertThat(c.signing().keys()).isEmpty();
    assertThat(c.metrics()).isNull();
    assertThat(c.dns().nameservers()).isEmpty();
  }

  @Test
  void configuration_flagsOverrideTheFile() throws IOException {
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    Path file =
        Files.writeString(
            dir.resolve("authmill.yml"),
            "listen: inet:127.0.0.1:9999\nauthserv-id: file.example\ntrusted-networks: [10.0.0.0/8]\n"
                + "dns:\n  nameservers: [192.0.2.53]\nwarmup-messages: 500\n");
    FilterConfig c =
        parse(
                "--config", file.toString(),
                "--listen", "inet:127.0.0.1:7777",
                "--authserv-id", "flag.example",
                "--sign", "example.com:sel:" + key,
                "--trusted-network", "192.0.2.0/24",
                "--nameserver", "127.0.0.1:5353",
                "--metrics", "127.0.0.1:9100",
                "--warmup-messages", "0")
            .configuration();
    assertThat(c.listen().port()).isEqualTo(7777);
    assertThat(c.authservId()).isEqualTo("flag.example");
    assertThat(c.trustedNetworks()).extracting(Object::toString).containsExactly("192.0.2.0/24");
    assertThat(c.signing().keys()).extracting(k -> k.selector()).containsExactly("sel");
    assertThat(c.dns().nameservers()).containsExactly("127.0.0.1:5353");
    assertThat(c.metrics().port()).isEqualTo(9100);
    assertThat(c.warmupMessages()).isZero();
  }

  @Test
  void configuration_badFlagIsAClearInputError() {
    assertThatThrownBy(() -> parse("--listen", "tcp:1.2.3.4").configuration())
        .isInstanceOf(InputException.class)
        .hasMessageContaining("expected inet:HOST:PORT or unix:/PATH");
    assertThatThrownBy(() -> parse("--trusted-network", "example.com/8").configuration())
        .isInstanceOf(InputException.class)
        .hasMessageContaining("literal IP address");
    assertThatThrownBy(() -> parse("--warmup-messages", "-1").configuration())
        .isInstanceOf(InputException.class)
        .hasMessageContaining("warmup-messages must be 0 (off) to 100000");
  }

  @Test
  void run_badConfigFileExitsWithUsage() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yml"), "limits:\n  max-hedaers: 3\n");
    java.io.StringWriter err = new java.io.StringWriter();
    int status =
        Authmill.run(
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(err, true),
            "serve",
            "--config",
            file.toString());
    assertThat(status).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("unknown key 'limits.max-hedaers'");
  }

  @Test
  void run_keyFileReadableByOthersIsRefusedNamingTheSetting() throws IOException {
    Path key = dir.resolve("sel.private");
    Files.writeString(key, org.authmill.dkim.DkimPrivateKey.generateEd25519().toPkcs8Pem());
    java.nio.file.Files.setPosixFilePermissions(
        key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Path file =
        Files.writeString(
            dir.resolve("keys.yml"),
            "listen: inet:127.0.0.1:0\nsigning:\n  keys: [\"example.com:sel:" + key + "\"]\n");
    java.io.StringWriter err = new java.io.StringWriter();
    int status =
        Authmill.run(
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(err, true),
            "serve",
            "--config",
            file.toString());
    assertThat(status).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("key file " + key)
        .contains("can be read or written by group or others (rw-r--r--)")
        .contains("chmod 600")
        .contains("signing.insecure-key-permissions: true");
    // Accepting the risk in the configuration lets it start.
    Files.writeString(
        file,
        "listen: inet:127.0.0.1:0\nsigning:\n  keys: [\"example.com:sel:"
            + key
            + "\"]\n  insecure-key-permissions: true\n");
    ServeCommand serve = parse("--config", file.toString());
    assertThat(serve.configuration().signing().insecureKeyPermissions()).isTrue();
    assertThat(
            new org.authmill.server.auth.OutboundSigners(
                    serve.configuration().signing().load(), true, java.time.Clock.systemUTC())
                .isEmpty())
        .isFalse();
  }

  private static final byte[] FORGED =
      ("From: a@example.com\r\nAuthentication-Results: one.example; spf=pass\r\n"
              + "Authentication-Results: two.example; spf=pass\r\nSubject: x\r\n\r\nbody\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private MilterClient client(int port) throws Exception {
    MilterClient c =
        await(
            MilterClient.connect(
                vertx,
                SocketAddress.inetSocketAddress(port, "127.0.0.1"),
                MilterClient.postfixConnectMacros("mx", "smtpd", "c", "192.0.2.9")));
    await(c.connectEvent("c", InetAddress.getByName("192.0.2.9"), 1234));
    return c;
  }

  /** The authserv-ids of the message's own Authentication-Results fields that survived. */
  private static List<String> remainingIds(MilterResult r) {
    List<MilterMessage.Field> original = MilterMessage.parse(FORGED).headers();
    List<MilterMessage.Field> fields = r.apply(original);
    List<String> ids = new ArrayList<>();
    for (MilterMessage.Field f : fields) {
      // The field the authentication filter adds is new; only the message's own ones count here.
      if (f.name().equals("Authentication-Results") && original.contains(f)) {
        ids.add(f.value().strip().split(";")[0]);
      }
    }
    return ids;
  }

  private String scrape(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private void awaitLog(Path log, String text) throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + text + "' in the log: " + Files.readString(log));
  }

  private static void signal(Process p, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  @Test
  void serve_reloadsOnSighupAndDrainsOnSigterm() throws Exception {
    int port = FreePort.tcpAndUdp();
    int metricsPort = FreePort.tcpAndUdp();
    Path config = dir.resolve("authmill.yml");
    Files.writeString(config, "authserv-id: one.example\nlimits:\n  shutdown-grace: 20s\n");
    Path log = dir.resolve("serve.log");
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.authmill.cli.Authmill",
                "serve",
                "--config",
                config.toString(),
                "--listen",
                "inet:127.0.0.1:" + port,
                "--metrics",
                "127.0.0.1:" + metricsPort,
                "--zone",
                Files.writeString(dir.resolve("empty.zone"), "").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitLog(log, "milter listening on inet:127.0.0.1:" + port);
    vertx = Vertx.vertx();

    MilterClient first = client(port);
    MilterResult r1 =
        await(
            first.send(
                MilterTransaction.of("a@example.com", List.of("b@example.org"), FORGED, "Q1")));
    assertThat(remainingIds(r1)).containsExactly("two.example");

    // SIGHUP: new sessions see the new authserv-id; the open session keeps the old one.
    Files.writeString(config, "authserv-id: two.example\nlimits:\n  shutdown-grace: 20s\n");
    signal(process, "HUP");
    awaitLog(log, "configuration reloaded (authserv-id two.example)");
    MilterResult again =
        await(
            first.send(
                MilterTransaction.of("a@example.com", List.of("b@example.org"), FORGED, "Q2")));
    assertThat(remainingIds(again)).containsExactly("two.example");
    MilterClient second = client(port);
    MilterResult r2 =
        await(
            second.send(
                MilterTransaction.of("a@example.com", List.of("b@example.org"), FORGED, "Q3")));
    assertThat(remainingIds(r2)).containsExactly("one.example");
    await(second.quit());
    assertThat(scrape(metricsPort))
        .contains("authmill_milter_messages_total{action=\"continue\"} 3.0");

    // SIGTERM with a session in flight: no new connections, the open one finishes, then exit 0.
    await(first.mail(List.of("<a@example.com>"), Map.of()));
    signal(process, "TERM");
    awaitLog(log, "stopping");
    Instant deadline = Instant.now().plusSeconds(10);
    boolean refused = false;
    while (!refused && Instant.now().isBefore(deadline)) {
      try {
        MilterClient late = client(port);
        await(late.quit());
        Thread.sleep(50);
      } catch (Exception expected) {
        refused = true;
      }
    }
    assertThat(refused).as("new connections refused after SIGTERM").isTrue();
    assertThat(process.isAlive()).isTrue();
    await(first.rcpt(List.of("<b@example.org>"), Map.of()));
    MilterResult last =
        await(
            first.send(
                MilterTransaction.of("a@example.com", List.of("b@example.org"), FORGED, "Q4")));
    assertThat(last.finalReply()).isEqualTo(new MilterReply.Continue());
    await(first.quit());
    assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exits once the session ended").isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(Files.readString(log)).contains("stopped");
  }
}
