package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.authmill.milter.ClientInfo;
import org.authmill.milter.Decision;
import org.authmill.milter.FilterChain;
import org.authmill.milter.HeaderChange;
import org.authmill.milter.Macros;
import org.authmill.milter.MailFilter;
import org.authmill.milter.MailFilterFactory;
import org.authmill.milter.SmtpReply;
import org.authmill.milter.Verdict;
import org.authmill.testkit.Peers;
import org.authmill.testkit.PostfixServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter server end to end: real Postfix, the running filter, smtp-sink. */
class FilterServerTest {
  @TempDir Path dir;
  private Vertx vertx;
  private FilterServer server;
  private PostfixServer postfix;
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    if (server != null) {
      server
          .stop(Duration.ofSeconds(1))
          .toCompletionStage()
          .toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Records what Postfix sends, to compare with MILTER.md. */
  private final class Observer implements MailFilter {
    @Override
    public CompletionStage<Verdict> connect(ClientInfo client, Macros macros) {
      seen.add(
          "connect "
              + client.describe()
              + " daemon_name="
              + macros.get("daemon_name").orElse("-")
              + " j="
              + macros.get("j").orElse("-")
              + " v="
              + macros.get("v").orElse("-"));
      return Verdict.PROCEED;
    }

    @Override
    public CompletionStage<Verdict> helo(String name, Macros macros) {
      seen.add("helo " + name);
      return Verdict.PROCEED;
    }

    @Override
    public CompletionStage<Verdict> mailFrom(String sender, List<String> args, Macros macros) {
      seen.add(
          "mail <"
              + sender
              + "> i="
              + macros.queueId().orElse("-")
              + " mail_addr="
              + macros.get("mail_addr").orElse("-"));
      return Verdict.PROCEED;
    }

    @Override
    public CompletionStage<Verdict> rcpt(String recipient, List<String> args, Macros macros) {
      seen.add(
          "rcpt <"
              + recipient
              + "> i="
              + macros.queueId().orElse("-")
              + " rcpt_addr="
              + macros.get("rcpt_addr").orElse("-"));
      return Verdict.PROCEED;
    }

    @Override
    public CompletionStage<Void> header(String name, String value) {
      seen.add("header " + name + ":" + value);
      return DONE;
    }

    @Override
    public CompletionStage<Decision> endOfMessage(Macros macros) {
      seen.add("eom i=" + macros.queueId().orElse("-"));
      return Decision.proceed().completed();
    }

    @Override
    public void abort() {
      seen.add("abort");
    }

    @Override
    public void close() {
      seen.add("close");
    }
  }

  private void start(boolean observe) throws Exception {
    start(observe, null);
  }

  /** Starts the filter (standard pipeline, plus an observer and an extra filter) and Postfix. */
  private void start(boolean observe, MailFilterFactory extra) throws Exception {
    // No DNS beyond an empty zone: these tests are about the protocol, not the verdicts.
    Path zone = Files.writeString(dir.resolve("empty.zone"), "");
    FilterConfig config =
        FilterConfigYaml.parse(
            "listen: inet:127.0.0.1:0\nauthserv-id: mx.test.local\nmetrics: 127.0.0.1:0\n"
                + "dns:\n  zone-file: "
                + zone
                + "\n",
            "test");
    server =
        FilterServer.start(
                vertx,
                config,
                ctx -> {
                  List<MailFilterFactory> filters = new ArrayList<>(Pipeline.factories(ctx));
                  if (observe) {
                    filters.add(Observer::new);
                  }
                  if (extra != null) {
                    filters.add(extra);
                  }
                  return new FilterChain(filters);
                })
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    postfix = PostfixServer.builder().milter("inet:127.0.0.1:" + server.milterPort()).start();
  }

  private static final String FORGED =
      "From: Alice <alice@example.com>\r\n"
          + "To: bob@example.org\r\n"
          + "Subject: forged results\r\n"
          + "Authentication-Results: mx.test.local; dkim=pass header.d=example.com\r\n"
          + "Authentication-Results: other.example; spf=pass smtp.mailfrom=example.com\r\n"
          + "authentication-results:\r\n (forged, folded) MX.TEST.LOCAL;\r\n\tdmarc=pass\r\n"
          + "Message-ID: <forged@example.com>\r\n"
          + "\r\n"
          + "Hello Bob.\r\n";

  private void run(String... command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("client.out").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("client finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("client.out"))).isZero();
  }

  private static List<String> resultsHeaders(Path delivered) {
    List<String> fields = new ArrayList<>();
    String current = null;
    for (String line : PostfixServer.headerLines(delivered)) {
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (current != null) {
          current += "\n" + line;
        }
        continue;
      }
      if (current != null && current.regionMatches(true, 0, "Authentication-Results:", 0, 23)) {
        fields.add(current);
      }
      current = line;
    }
    if (current != null && current.regionMatches(true, 0, "Authentication-Results:", 0, 23)) {
      fields.add(current);
    }
    return fields;
  }

  private void awaitNoSessions() throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (server.openSessions() > 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(server.openSessions()).isZero();
  }

  @Test
  void swaks_forgedResultsWithOurAuthservIdAreGoneOthersStay() throws Exception {
    Path swaks = Peers.command("swaks", "swaks");
    start(false);
    Path message = Files.writeString(dir.resolve("forged.eml"), FORGED);
    run(
        swaks.toString(),
        "--server",
        "127.0.0.1:" + postfix.smtpPort(),
        "--from",
        "alice@example.com",
        "--to",
        "bob@example.org",
        "--data",
        message.toString());
    List<Path> delivered = postfix.awaitDelivered(1, Duration.ofSeconds(30));
    assertThat(delivered).hasSize(1);
    // The forged field is gone, ours is on top, the other authserv-id's stays.
    assertThat(resultsHeaders(delivered.get(0)))
        .satisfiesExactly(
            ours -> assertThat(ours).startsWith("Authentication-Results: mx.test.local;"),
            other ->
                assertThat(other)
                    .isEqualTo(
                        "Authentication-Results: other.example; spf=pass smtp.mailfrom=example.com"));
    assertThat(Files.readString(delivered.get(0))).contains("Hello Bob.");
    awaitNoSessions();
    String metrics = scrape();
    assertThat(metrics).contains("authmill_milter_sessions_open 0.0");
    assertThat(metrics).contains("authmill_milter_messages_total{action=\"continue\"} 1.0");
  }

  @Test
  void smtpSource_severalMessagesOverOneSessionEachArrive() throws Exception {
    Path smtpSource = Peers.command("smtp-source", "postfix");
    start(true);
    Path message = Files.writeString(dir.resolve("forged.eml"), FORGED);
    int count = 5;
    run(
        smtpSource.toString(),
        "-d",
        "-m",
        Integer.toString(count),
        "-c",
        "-F",
        message.toString(),
        "-f",
        "alice@example.com",
        "-t",
        "bob@example.org",
        "127.0.0.1:" + postfix.smtpPort());
    List<Path> delivered = postfix.awaitDelivered(count, Duration.ofSeconds(60));
    assertThat(delivered).hasSize(count);
    for (Path p : delivered) {
      assertThat(resultsHeaders(p))
          .as(p.toString())
          .satisfiesExactly(
              ours -> assertThat(ours).startsWith("Authentication-Results: mx.test.local;"),
              other ->
                  assertThat(other)
                      .isEqualTo(
                          "Authentication-Results: other.example; spf=pass"
                              + " smtp.mailfrom=example.com"));
    }
    awaitNoSessions();
    // One milter connection for the one SMTP session, several messages. Without a
    // milter_macro_daemon_name, {daemon_name} is $myhostname.
    assertThat(seen.get(0)).startsWith("connect 127.0.0.1 daemon_name=mx.test.local ");
    assertThat(seen.stream().filter(s -> s.startsWith("connect"))).hasSize(1);
    assertThat(seen.stream().filter(s -> s.startsWith("eom i="))).hasSize(count);
    assertThat(seen.stream().filter(s -> s.startsWith("mail <alice@example.com>"))).hasSize(count);
    assertThat(seen).doesNotContain("abort"); // every message ended with end-of-message
    assertThat(seen.get(seen.size() - 1)).isEqualTo("close");
    assertThat(server.registry().get("authmill.milter.sessions").counter().count()).isEqualTo(1.0);
  }

  @Test
  void postfix_sendsWhatMilterMdDescribes() throws Exception {
    Path swaks = Peers.command("swaks", "swaks");
    start(true);
    Path message = Files.writeString(dir.resolve("forged.eml"), FORGED);
    run(
        swaks.toString(),
        "--server",
        "127.0.0.1:" + postfix.submissionPort(),
        "--from",
        "alice@example.com",
        "--to",
        "bob@example.org",
        "--data",
        message.toString());
    postfix.awaitDelivered(1, Duration.ofSeconds(30));
    awaitNoSessions();
    System.out.println("Postfix milter events: " + String.join("\n  ", seen));
    assertThat(seen.get(0))
        .startsWith("connect 127.0.0.1 daemon_name=ORIGINATING j=mx.test.local v=Postfix");
    // {i} is not there yet at MAIL, nor at the first RCPT: Postfix opens the queue file only
    // after the first valid recipient (smtpd_delay_open_until_valid_rcpt).
    assertThat(seen)
        .anyMatch(s -> s.startsWith("mail <alice@example.com> i=- mail_addr=alice@example.com"));
    assertThat(seen).contains("rcpt <bob@example.org> i=- rcpt_addr=bob@example.org");
    assertThat(seen).anyMatch(s -> s.matches("eom i=[0-9A-F]+"));
    // Folded header values arrive joined by a bare LF, with HDR_LEADSPC the raw value.
    assertThat(seen)
        .contains("header authentication-results:\n (forged, folded) MX.TEST.LOCAL;\n\tdmarc=pass");
    assertThat(seen).contains("header To: bob@example.org");
    // Postfix hides its own Received: header, but shows the Date: it added itself.
    assertThat(seen).noneMatch(s -> s.startsWith("header Received:"));
    assertThat(seen).anyMatch(s -> s.startsWith("header Date: "));
    List<Path> delivered = postfix.delivered();
    assertThat(resultsHeaders(delivered.get(0))).hasSize(1);
  }

  private String scrape() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void metrics_healthReportsServing() throws Exception {
    FilterConfig config =
        FilterConfigYaml.parse(
            "listen: inet:127.0.0.1:0\nauthserv-id: mx.test\nmetrics: 127.0.0.1:0\n", "test");
    server =
        FilterServer.start(vertx, config)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.metricsPort() + "/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(scrape()).contains("authmill_milter_sessions_open 0.0");
    assertThat(Map.of("k", 1)).isNotEmpty();
  }

  /** Decides by the Subject: "reject", "quarantine", or else adds and inserts a header. */
  private static final class SubjectDriven implements MailFilter {
    private String subject = "";

    @Override
    public CompletionStage<Void> header(String name, String value) {
      if (name.equalsIgnoreCase("Subject")) {
        subject = value.strip();
      }
      return DONE;
    }

    @Override
    public CompletionStage<Decision> endOfMessage(Macros macros) {
      String s = subject;
      subject = "";
      if (s.equals("reject")) {
        return Decision.of(
                Verdict.reject(
                    SmtpReply.of(
                        550, "5.7.1", "DMARC policy of example.com says reject (100% sure)"),
                    "test"))
            .completed();
      }
      if (s.equals("quarantine")) {
        return Decision.proceed().withQuarantine("dmarc=fail p=quarantine").completed();
      }
      return Decision.proceed()
          .withChanges(
              List.of(
                  new HeaderChange.Insert(0, "X-Top", "inserted at the top"),
                  new HeaderChange.Add("X-Folded", "first line;\r\n\tsecond line")))
          .completed();
    }
  }

  private static MailFilterFactory subjectDriven(boolean holds) {
    return new MailFilterFactory() {
      @Override
      public MailFilter create() {
        return new SubjectDriven();
      }

      @Override
      public boolean quarantines() {
        return holds;
      }
    };
  }

  private String swaks(int port, String subject) throws Exception {
    Path swaks = Peers.command("swaks", "swaks");
    Process p =
        new ProcessBuilder(
                swaks.toString(),
                "--server",
                "127.0.0.1:" + port,
                "--from",
                "alice@example.com",
                "--to",
                "bob@example.org",
                "--header",
                "Subject: " + subject,
                "--body",
                "hello")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void postfix_insertedAndAddedFieldsArriveWithOneSpaceAndLfFolding() throws Exception {
    start(false, subjectDriven(false));
    swaks(postfix.smtpPort(), "modify");
    List<Path> delivered = postfix.awaitDelivered(1, Duration.ofSeconds(30));
    List<String> lines = PostfixServer.headerLines(delivered.get(0));
    // smtp-sink's own X-* lines and Received: come first; our inserted field is the message's top.
    int top = lines.indexOf("X-Top: inserted at the top");
    assertThat(top).as(String.join("\n", lines)).isPositive();
    int received = top + 1;
    while (lines.get(received).startsWith("Authentication-Results:")
        || lines.get(received).startsWith("\t")) {
      received++; // the authentication filter's own field, also inserted at the top
    }
    assertThat(lines.get(received)).startsWith("Received: from ");
    int folded = lines.indexOf("X-Folded: first line;");
    assertThat(folded).as(String.join("\n", lines)).isPositive();
    assertThat(lines.get(folded + 1)).isEqualTo("\tsecond line");
  }

  @Test
  void postfix_rejectAtEndOfMessageReachesTheSmtpClient() throws Exception {
    start(false, subjectDriven(false));
    String out = swaks(postfix.smtpPort(), "reject");
    assertThat(out).contains("550 5.7.1 DMARC policy of example.com says reject (100% sure)");
    postfix.awaitQueueEmpty(Duration.ofSeconds(10));
    assertThat(postfix.delivered()).isEmpty();
    assertThat(
            server
                .registry()
                .get("authmill.milter.messages")
                .tag("action", "reject")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void postfix_quarantineHoldsTheMessage() throws Exception {
    start(false, subjectDriven(true));
    String out = swaks(postfix.smtpPort(), "quarantine");
    assertThat(out).contains("250 2.0.0 Ok");
    Instant deadline = Instant.now().plusSeconds(20);
    while (postfix.held() == 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertThat(postfix.held()).as(postfix.log()).isEqualTo(1);
    // Postfix 3.7 logs the hold, but not the reason the filter gave.
    assertThat(postfix.log())
        .contains("milter-hold: END-OF-MESSAGE", "milter triggers HOLD action");
    assertThat(postfix.delivered()).isEmpty();
  }

  @Test
  void start_unixSocketReplacesAStaleSocketFile() throws Exception {
    Path socket = dir.resolve("milter.sock");
    // A socket file nobody listens on, as a crash leaves behind.
    try (java.nio.channels.ServerSocketChannel old =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      old.bind(java.net.UnixDomainSocketAddress.of(socket));
    }
    assertThat(Files.exists(socket)).isTrue();
    FilterConfig config =
        FilterConfigYaml.parse("listen: unix:" + socket + "\nauthserv-id: mx.test\n", "test");
    server =
        FilterServer.start(vertx, config)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertThat(server.milterPort()).isEqualTo(-1);
    org.authmill.milter.client.MilterClient c =
        org.authmill.milter.client.MilterClient.connect(
                vertx,
                io.vertx.core.net.SocketAddress.domainSocketAddress(socket.toString()),
                Map.of())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertThat(c.negotiated().version()).isEqualTo(6);
    c.quit().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void start_givesThePipelineAWorkerOffTheEventLoop() throws Exception {
    java.util.concurrent.CompletableFuture<String> thread =
        new java.util.concurrent.CompletableFuture<>();
    FilterConfig config =
        FilterConfigYaml.parse("listen: inet:127.0.0.1:0\nauthserv-id: mx.test\n", "test");
    server =
        FilterServer.start(
                vertx,
                config,
                ctx -> {
                  ctx.worker().execute(() -> thread.complete(Thread.currentThread().getName()));
                  return Pipeline.factory(ctx);
                })
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("authmill-worker");
  }
}
