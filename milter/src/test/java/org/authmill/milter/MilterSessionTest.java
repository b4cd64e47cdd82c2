package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.authmill.milter.client.MilterClient;
import org.authmill.milter.client.MilterMessage;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MilterSessionTest {
  private static final byte[] MESSAGE =
      ("From: a@example.com\r\n"
              + "To: b@example.org\r\n"
              + "Authentication-Results: mx.test; spf=pass\r\n"
              + "Subject: folded\r\n\tsubject\r\n"
              + "authentication-results:   (comment) MX.TEST ; dkim=pass\r\n"
              + "Authentication-Results: other.example; dmarc=pass\r\n"
              + "\r\n"
              + "Hello\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);

  private final List<Runnable> cleanup = new ArrayList<>();
  private SimpleMeterRegistry registry;
  private MilterMetrics metrics;

  @AfterEach
  void tearDown() {
    Collections.reverse(cleanup);
    cleanup.forEach(Runnable::run);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private MilterServer server(Vertx vertx, MilterSettings settings, MailFilterFactory factory)
      throws Exception {
    registry = new SimpleMeterRegistry();
    metrics = new MilterMetrics(registry);
    MilterServer server =
        await(
            MilterServer.start(
                vertx,
                SocketAddress.inetSocketAddress(0, "127.0.0.1"),
                2,
                new MilterServer.Setup(settings, factory),
                metrics));
    cleanup.add(
        () -> {
          try {
            await(server.shutdown(Duration.ofSeconds(1)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    return server;
  }

  private MilterClient client(Vertx vertx, MilterServer server) throws Exception {
    return await(
        MilterClient.connect(
            vertx,
            server.address(),
            MilterClient.postfixConnectMacros("mx.test", "smtpd", "client.example", "192.0.2.1")));
  }

  private static MilterClient connected(MilterClient c) throws Exception {
    await(c.connectEvent("client.example", InetAddress.getByName("192.0.2.1"), 40000));
    await(c.helo("client.example", Map.of()));
    return c;
  }

  /** Waits (bounded) until the server has no open session. */
  private void awaitNoSessions(MilterServer server) throws InterruptedException {
    for (int i = 0; i < 200 && (server.openSessions() > 0 || metrics.openSessions() > 0); i++) {
      Thread.sleep(10);
    }
    assertThat(server.openSessions()).isZero();
    assertThat(metrics.openSessions()).isZero();
    assertThat(registry.get("authmill.milter.sessions.open").gauge().value()).isZero();
  }

  /** A filter that records what it sees, with overridable end-of-message. */
  static final class Recorder implements MailFilter {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    Function<Macros, CompletionStage<Decision>> eom = m -> Decision.proceed().completed();

    @Override
    public CompletionStage<Verdict> connect(ClientInfo client, Macros macros) {
      events.add(
          "connect "
              + client.describe()
              + " "
              + client.hostname()
              + " "
              + macros.get("daemon_name").orElse("-"));
      return Verdict.PROCEED;
    }

    @Override
    public CompletionStage<Verdict> helo(String name, Macros macros) {
      events.add("helo " + name);
      return Verdict.PROCEED;
    }

    @Override
    public CompletionStage<Verdict> mailFrom(String sender, List<String> args, Macros macros) {
      events.add("mail " + sender + " " + args);
      return Verdict.PROCEED;
    }

    @Override
    public CompletionStage<Verdict> rcpt(String recipient, List<String> args, Macros macros) {
      events.add("rcpt " + recipient);
      if (recipient.startsWith("bad")) {
        return Verdict.reject(SmtpReply.of(550, "5.1.1", "no such user"), "test").completed();
      }
      return Verdict.PROCEED;
    }

    @Override
    public CompletionStage<Void> header(String name, String value) {
      events.add("header " + name + ":" + value);
      return DONE;
    }

    @Override
    public CompletionStage<Void> endOfHeaders(Macros macros) {
      events.add("eoh");
      return DONE;
    }

    @Override
    public CompletionStage<Void> body(ByteBuffer chunk) {
      byte[] b = new byte[chunk.remaining()];
      chunk.get(b);
      events.add("body " + new String(b, StandardCharsets.ISO_8859_1));
      return DONE;
    }

    @Override
    public CompletionStage<Decision> endOfMessage(Macros macros) {
      events.add("eom " + macros.queueId().orElse("-"));
      return eom.apply(macros);
    }

    @Override
    public void abort() {
      events.add("abort");
    }

    @Override
    public void close() {
      events.add("close");
    }
  }

  private static MailFilterFactory factoryOf(MailFilter filter) {
    return () -> filter;
  }

  @Test
  void negotiate_asksOnlyForWhatIsNeeded() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    MilterServer server =
        server(vertx, MilterSettings.DEFAULTS, ForgedFieldFilter.factory("mx.test"));
    MilterClient c = client(vertx, server);
    MilterReply.Negotiate n = c.negotiated();
    assertThat(n.version()).isEqualTo(6);
    assertThat(n.actions()).isEqualTo(MilterProtocol.ADDHDRS | MilterProtocol.CHGHDRS);
    assertThat(n.protocol())
        .isEqualTo(
            MilterProtocol.NOUNKNOWN
                | MilterProtocol.NODATA
                | MilterProtocol.NR_HDR
                | MilterProtocol.NR_EOH
                | MilterProtocol.NR_BODY
                | MilterProtocol.HDR_LEADSPC
                | MilterProtocol.NOHELO
                | MilterProtocol.NOMAIL
                | MilterProtocol.NORCPT
                | MilterProtocol.NOEOH
                | MilterProtocol.NOBODY);
    await(c.quit());
    awaitNoSessions(server);
  }

  @Test
  void negotiate_quarantineAskedOnlyWhenTheFilterHolds() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    MailFilterFactory holding =
        new MailFilterFactory() {
          @Override
          public MailFilter create() {
            return new Recorder();
          }

          @Override
          public boolean quarantines() {
            return true;
          }
        };
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, holding);
    MilterClient c = client(vertx, server);
    assertThat(c.negotiated().actions())
        .isEqualTo(MilterProtocol.ADDHDRS | MilterProtocol.CHGHDRS | MilterProtocol.QUARANTINE);
    // All events wanted: replies still due for connect, helo, mail, rcpt.
    assertThat(
            c.negotiated().protocol()
                & (MilterProtocol.NR_CONN | MilterProtocol.NR_MAIL | MilterProtocol.NR_RCPT))
        .isZero();
  }

  @Test
  void send_forgedResultsRemovedOthersKept() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    MilterServer server =
        server(vertx, MilterSettings.DEFAULTS, ForgedFieldFilter.factory("mx.test"));
    MilterClient c = connected(client(vertx, server));
    MilterTransaction tx =
        MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "4AbCd");
    MilterResult result = await(c.send(tx));
    assertThat(result.finalReply()).isEqualTo(new MilterReply.Continue());
    // Highest occurrence first, so the numbers refer to the header as received.
    assertThat(result.modifications())
        .containsExactly(
            new MilterReply.ChangeHeader(2, "Authentication-Results", ""),
            new MilterReply.ChangeHeader(1, "Authentication-Results", ""));
    List<MilterMessage.Field> delivered = result.apply(tx.message().headers());
    assertThat(delivered)
        .filteredOn(f -> f.name().equalsIgnoreCase("Authentication-Results"))
        .extracting(MilterMessage.Field::value)
        .containsExactly(" other.example; dmarc=pass");
    assertThat(c.protocolErrors()).isEmpty();
    await(c.quit());
    awaitNoSessions(server);
  }

  @Test
  void send_severalMessagesOnOneConnectionWithAbortBetween() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(recorder));
    MilterClient c = connected(client(vertx, server));
    for (int i = 0; i < 3; i++) {
      MilterResult r =
          await(
              c.send(
                  MilterTransaction.of(
                      "a@example.com", List.of("b@example.org"), MESSAGE, "Q" + i)));
      assertThat(r.delivered()).isTrue();
    }
    await(c.quit());
    awaitNoSessions(server);
    assertThat(recorder.events)
        .filteredOn(e -> e.startsWith("eom"))
        .containsExactly("eom Q0", "eom Q1", "eom Q2");
    assertThat(recorder.events)
        .filteredOn(e -> e.startsWith("connect"))
        .containsExactly("connect 192.0.2.1 client.example smtpd");
    assertThat(recorder.events.get(recorder.events.size() - 1)).isEqualTo("close");
    // Folded values arrive with a bare LF; HDR_LEADSPC keeps the leading space.
    assertThat(recorder.events).contains("header Subject: folded\n\tsubject");
    assertThat(registry.get("authmill.milter.messages").tag("action", "continue").counter().count())
        .isEqualTo(3.0);
  }

  @Test
  void send_bodySplitInsideCrlfArrivesWhole() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(recorder));
    MilterClient c = connected(client(vertx, server));
    byte[] msg = "Subject: x\r\n\r\nline one\r\nline two\r\n".getBytes(StandardCharsets.ISO_8859_1);
    await(
        c.send(
            MilterTransaction.of("a@b.example", List.of("c@d.example"), msg, "Q")
                .withChunkSize(9)));
    StringBuilder body = new StringBuilder();
    recorder.events.stream()
        .filter(e -> e.startsWith("body "))
        .forEach(e -> body.append(e.substring(5)));
    assertThat(body.toString()).isEqualTo("line one\r\nline two\r\n");
    assertThat(recorder.events.stream().filter(e -> e.startsWith("body "))).hasSize(3);
  }

  @Test
  void rcpt_rejectOnlyThatRecipient() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(recorder));
    MilterClient c = connected(client(vertx, server));
    await(c.mail(List.of("<a@b.example>"), Map.of()));
    Optional<MilterReply> bad = await(c.rcpt(List.of("<bad@d.example>"), Map.of()));
    assertThat(bad).contains(new MilterReply.ReplyCode("550 5.1.1 no such user"));
    Optional<MilterReply> good = await(c.rcpt(List.of("<good@d.example>"), Map.of()));
    assertThat(good).contains(new MilterReply.Continue());
  }

  @Test
  void endOfMessage_rejectWithTextAndPercentDoubled() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    recorder.eom =
        m ->
            Decision.of(
                    Verdict.reject(
                        SmtpReply.of(550, "5.7.1", "DMARC policy of example.com is reject (100%)"),
                        "dmarc=fail"))
                .withChanges(List.of(new HeaderChange.Add("X-Ignored", "because rejected")))
                .completed();
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(recorder));
    MilterClient c = connected(client(vertx, server));
    MilterResult r =
        await(
            c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
    assertThat(r.finalReply())
        .isEqualTo(
            new MilterReply.ReplyCode("550 5.7.1 DMARC policy of example.com is reject (100%%)"));
    assertThat(r.modifications()).isEmpty();
    assertThat(registry.get("authmill.milter.messages").tag("action", "reject").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void endOfMessage_insertAddAndQuarantine() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    recorder.eom =
        m ->
            Decision.proceed()
                .withChanges(
                    List.of(
                        new HeaderChange.Add("X-Added", "tail"),
                        new HeaderChange.Insert(
                            0, "Authentication-Results", "mx.test;\r\n\tspf=pass"),
                        new HeaderChange.Change("Subject", 1, "new")))
                .withQuarantine("dmarc=fail p=quarantine")
                .completed();
    MailFilterFactory holding =
        new MailFilterFactory() {
          @Override
          public MailFilter create() {
            return recorder;
          }

          @Override
          public boolean quarantines() {
            return true;
          }
        };
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, holding);
    MilterClient c = connected(client(vertx, server));
    MilterResult r =
        await(
            c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
    assertThat(r.modifications())
        .containsExactly(
            new MilterReply.ChangeHeader(1, "Subject", " new"),
            new MilterReply.InsertHeader(0, "Authentication-Results", " mx.test;\n\tspf=pass"),
            new MilterReply.AddHeader("X-Added", " tail"));
    assertThat(r.quarantine()).contains("dmarc=fail p=quarantine");
    assertThat(r.finalReply()).isEqualTo(new MilterReply.Continue());
  }

  @Test
  void endOfMessage_filterExceptionYieldsAcceptWithoutChanges() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    recorder.eom =
        m -> {
          throw new IllegalStateException("boom");
        };
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(recorder));
    MilterClient c = connected(client(vertx, server));
    MilterResult r =
        await(
            c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
    assertThat(r.finalReply()).isEqualTo(new MilterReply.Continue());
    assertThat(r.modifications()).isEmpty();
    assertThat(
            registry.get("authmill.milter.filter.failures").tag("kind", "error").counter().count())
        .isEqualTo(1.0);
    // The next message on the connection is filtered again.
    recorder.eom =
        m -> Decision.proceed().withChanges(List.of(new HeaderChange.Add("X-Ok", "1"))).completed();
    MilterResult second =
        await(
            c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q2")));
    assertThat(second.modifications()).containsExactly(new MilterReply.AddHeader("X-Ok", " 1"));
  }

  @Test
  void endOfMessage_failedStageYieldsConfiguredTempfail() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    recorder.eom = m -> CompletableFuture.failedFuture(new IllegalStateException("dns down"));
    assertThat(oneMessageWithTempfailAction(vertx, recorder).finalReply())
        .isEqualTo(new MilterReply.Tempfail());
  }

  @Test
  void endOfMessage_completedNullAnswerYieldsErrorActionCountedAndTimed() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    recorder.eom = m -> CompletableFuture.completedFuture(null);
    assertThat(oneMessageWithTempfailAction(vertx, recorder).finalReply())
        .isEqualTo(new MilterReply.Tempfail());
    assertThat(
            registry.get("authmill.milter.filter.failures").tag("kind", "error").counter().count())
        .isEqualTo(1.0);
    // Calls answered at once are timed like the others, once per call.
    assertThat(registry.get("authmill.milter.handler").tag("event", "eom").timer().count())
        .isEqualTo(1);
  }

  /** One message through a server whose error action is TEMPFAIL, filtered by {@code recorder}. */
  private MilterResult oneMessageWithTempfailAction(Vertx vertx, Recorder recorder)
      throws Exception {
    MilterServer server =
        server(
            vertx,
            MilterSettings.DEFAULTS.withErrorAction(MilterSettings.ErrorAction.TEMPFAIL),
            factoryOf(recorder));
    MilterClient c = connected(client(vertx, server));
    return await(
        c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
  }

  @Test
  void endOfMessage_slowFilterGetsProgressThenDeadlineYieldsAccept() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    recorder.eom = m -> new CompletableFuture<>(); // never completes
    MilterSettings settings =
        MilterSettings.DEFAULTS
            .withHandlerDeadline(Duration.ofMillis(600))
            .withProgressInterval(Duration.ofMillis(100));
    MilterServer server = server(vertx, settings, factoryOf(recorder));
    MilterClient c = connected(client(vertx, server));
    MilterResult r =
        await(
            c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
    assertThat(r.finalReply()).isEqualTo(new MilterReply.Continue());
    assertThat(r.progress()).isGreaterThanOrEqualTo(2);
    assertThat(
            registry
                .get("authmill.milter.filter.failures")
                .tag("kind", "timeout")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(c.protocolErrors()).isEmpty();
  }

  @Test
  void replies_stayInOrderWhileHandlersCompleteLater() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    List<CompletableFuture<Verdict>> held = Collections.synchronizedList(new ArrayList<>());
    MailFilter slowRcpt =
        new MailFilter() {
          @Override
          public CompletionStage<Verdict> rcpt(String recipient, List<String> args, Macros macros) {
            CompletableFuture<Verdict> f = new CompletableFuture<>();
            held.add(f);
            if (recipient.startsWith("second")) {
              f.complete(Verdict.reject(SmtpReply.of(550, "5.1.1", "second"), "t"));
            }
            return f;
          }

          @Override
          public CompletionStage<Decision> endOfMessage(Macros macros) {
            return Decision.proceed().completed();
          }
        };
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(slowRcpt));
    MilterClient c = connected(client(vertx, server));
    await(c.mail(List.of("<a@b>"), Map.of()));
    Future<Optional<MilterReply>> first = c.rcpt(List.of("<first@x>"), Map.of());
    Future<Optional<MilterReply>> second = c.rcpt(List.of("<second@x>"), Map.of());
    for (int i = 0; i < 200 && held.isEmpty(); i++) {
      Thread.sleep(10);
    }
    Thread.sleep(100); // the second RCPT is queued behind the first, not answered out of order
    assertThat(held).hasSize(1);
    assertThat(first.isComplete()).isFalse();
    assertThat(second.isComplete()).isFalse();
    held.get(0).complete(Verdict.proceed());
    assertThat(await(first)).contains(new MilterReply.Continue());
    assertThat(await(second)).contains(new MilterReply.ReplyCode("550 5.1.1 second"));
  }

  @Test
  void session_olderMtaWithoutNoReplyFlagsGetsARepliesForEveryEvent() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(recorder));
    // Milter version 2, as Postfix with milter_protocol=2 or old Sendmail: no NR_*, no LEADSPC.
    MilterClient c = await(MilterClient.connect(vertx, server.address(), Map.of(), 2, 0x3F, 0x7F));
    assertThat(c.negotiated().version()).isEqualTo(2);
    assertThat(c.negotiated().protocol() & MilterProtocol.NR_HDR).isZero();
    connected(c);
    MilterResult r =
        await(
            c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
    assertThat(r.delivered()).isTrue();
    assertThat(c.protocolErrors()).isEmpty();
    // Without LEADSPC the MTA ate a space; the filter still sees the value as received.
    assertThat(recorder.events).contains("header Subject: folded\n\tsubject");
  }

  @Test
  void session_outOfOrderCommandsAreIgnoredSafely() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(recorder));
    MilterClient c = connected(client(vertx, server));
    // RCPT before MAIL, and end-of-message without a message: answered, not passed to the filter.
    assertThat(await(c.rcpt(List.of("<x@y>"), Map.of()))).contains(new MilterReply.Continue());
    MilterResult eom = await(c.endOfMessage(Map.of()));
    assertThat(eom.finalReply()).isEqualTo(new MilterReply.Continue());
    assertThat(recorder.events).noneMatch(e -> e.startsWith("rcpt") || e.startsWith("eom"));
    assertThat(registry.get("authmill.milter.protocol.errors").counter().count()).isEqualTo(2.0);
    // The session still works.
    assertThat(
            await(
                    c.send(
                        MilterTransaction.of(
                            "a@example.com", List.of("b@example.org"), MESSAGE, "Q")))
                .delivered())
        .isTrue();
  }

  @Test
  void session_quitNewConnectionStartsAFreshFilter() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    List<Recorder> made = Collections.synchronizedList(new ArrayList<>());
    MilterServer server =
        server(
            vertx,
            MilterSettings.DEFAULTS,
            () -> {
              Recorder r = new Recorder();
              made.add(r);
              return r;
            });
    MilterClient c = connected(client(vertx, server));
    await(c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
    c.quitNewConnection();
    connected(c);
    await(c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
    await(c.quit());
    awaitNoSessions(server);
    assertThat(made).hasSize(2);
    assertThat(made.get(0).events).endsWith("close");
    assertThat(made.get(1).events).endsWith("close");
  }

  @Test
  void session_oversizedPacketClosesTheConnection() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    MilterServer server =
        server(vertx, MilterSettings.DEFAULTS, ForgedFieldFilter.factory("mx.test"));
    NetSocket raw = await(vertx.createNetClient().connect(server.address()));
    CompletableFuture<Void> closed = new CompletableFuture<>();
    raw.closeHandler(v -> closed.complete(null));
    raw.write(Buffer.buffer(new byte[] {0x7F, 0, 0, 0, 'B'}));
    closed.get(10, TimeUnit.SECONDS);
    awaitNoSessions(server);
    assertThat(registry.get("authmill.milter.protocol.errors").counter().count()).isEqualTo(1.0);
  }

  @Test
  void session_disconnectMidMessageAbortsAndCloses() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(recorder));
    MilterClient c = connected(client(vertx, server));
    await(c.mail(List.of("<a@b>"), Map.of()));
    await(c.close());
    awaitNoSessions(server);
    assertThat(recorder.events).endsWith("abort", "close");
  }

  @Test
  void session_headerLimitYieldsDefaultActionWithoutChanges() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    MilterServer server =
        server(
            vertx,
            MilterSettings.DEFAULTS.withHeaderLimits(3, 10_000),
            ForgedFieldFilter.factory("mx.test"));
    MilterClient c = connected(client(vertx, server));
    MilterResult r =
        await(
            c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
    assertThat(r.finalReply()).isEqualTo(new MilterReply.Continue());
    assertThat(r.modifications()).isEmpty();
    assertThat(
            registry
                .get("authmill.milter.limits.exceeded")
                .tag("limit", "max-headers")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void session_chainOfFiltersMergesChanges() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    recorder.eom =
        m ->
            Decision.proceed()
                .withChanges(
                    List.of(new HeaderChange.Insert(0, "Authentication-Results", "mx.test; none")))
                .completed();
    MailFilterFactory chain =
        new FilterChain(List.of(ForgedFieldFilter.factory("mx.test"), factoryOf(recorder)));
    assertThat(chain.events()).isEqualTo(EnumSet.allOf(MailEvent.class));
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, chain);
    MilterClient c = connected(client(vertx, server));
    MilterTransaction tx =
        MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q");
    MilterResult r = await(c.send(tx));
    List<MilterMessage.Field> delivered = r.apply(tx.message().headers());
    assertThat(delivered)
        .filteredOn(f -> f.name().equalsIgnoreCase("Authentication-Results"))
        .extracting(MilterMessage.Field::value)
        .containsExactly(" mx.test; none", " other.example; dmarc=pass");
    assertThat(Set.copyOf(recorder.events)).contains("eom Q");
  }

  @Test
  void session_overUnixDomainSocket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    registry = new SimpleMeterRegistry();
    metrics = new MilterMetrics(registry);
    SocketAddress path = SocketAddress.domainSocketAddress(dir.resolve("milter.sock").toString());
    MilterServer server =
        await(
            MilterServer.start(
                vertx,
                path,
                1,
                new MilterServer.Setup(
                    MilterSettings.DEFAULTS, ForgedFieldFilter.factory("mx.test")),
                metrics));
    cleanup.add(
        () -> {
          try {
            await(server.shutdown(Duration.ofSeconds(1)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(server.port()).isEqualTo(-1);
    MilterClient c = await(MilterClient.connect(vertx, path, Map.of()));
    await(c.connectLocal("localhost"));
    MilterResult r =
        await(
            c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q")));
    assertThat(r.modifications()).hasSize(2);
    await(c.quit());
    awaitNoSessions(server);
  }

  @Test
  void endOfMessage_oneStructuredLogLinePerMessage() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger("org.authmill.server.message");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    ch.qos.logback.classic.Level before = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    logger.addAppender(appender);
    cleanup.add(
        () -> {
          logger.detachAppender(appender);
          logger.setLevel(before);
        });
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    MilterServer server =
        server(vertx, MilterSettings.DEFAULTS, ForgedFieldFilter.factory("mx.test"));
    MilterClient c = connected(client(vertx, server));
    await(c.send(MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "4XyZ")));
    await(c.quit());
    awaitNoSessions(server);
    assertThat(appender.list).hasSize(1);
    String line = appender.list.get(0).getFormattedMessage();
    assertThat(line)
        .startsWith("queue_id=4XyZ client=192.0.2.1 helo=- from=- rcpts=- headers=6 ")
        .contains(" action=continue ")
        .contains(" changes=2 ")
        .contains(" forged_ar_removed=2 ")
        .containsPattern(" ms=\\d+ filter_ms=\\d+$");
  }

  @Test
  void endOfMessage_withInlineChunkGetsOneReplyEvenWithoutNoReplyFlags() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    Recorder recorder = new Recorder();
    MilterServer server = server(vertx, MilterSettings.DEFAULTS, factoryOf(recorder));
    NetSocket raw = await(vertx.createNetClient().connect(server.address()));
    List<MilterReply> replies = Collections.synchronizedList(new ArrayList<>());
    raw.handler(
        new MilterCodec(MilterSettings.DEFAULT_PACKET_SIZE)
            .reader(f -> replies.add(MilterCodec.decodeReply(f)), e -> {}));
    CompletableFuture<Void> closed = new CompletableFuture<>();
    raw.closeHandler(v -> closed.complete(null));
    // An old MTA: version 2, no protocol flags at all, so every event is answered.
    for (MilterCommand c :
        List.of(
            new MilterCommand.Negotiate(2, 0x3F, 0),
            new MilterCommand.Connect("h", MilterCommand.Family.INET, 25, "192.0.2.1"),
            new MilterCommand.Mail(List.of("<a@b>")),
            new MilterCommand.Rcpt(List.of("<c@d>")),
            new MilterCommand.EndOfMessage("inline body\r\n".getBytes(StandardCharsets.ISO_8859_1)),
            new MilterCommand.Quit())) {
      raw.write(MilterCodec.encode(c));
    }
    closed.get(10, TimeUnit.SECONDS);
    assertThat(replies).hasSize(5);
    assertThat(replies.get(0)).isInstanceOf(MilterReply.Negotiate.class);
    assertThat(replies.subList(1, 5)).allMatch(r -> r instanceof MilterReply.Continue);
    assertThat(recorder.events).contains("body inline body\r\n", "eom -");
  }

  @Test
  void body_slowAsyncHandlerWithBackPressureKeepsChunksInOrder() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(vertx::close);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    cleanup.add(pool::shutdownNow);
    java.io.ByteArrayOutputStream seenBody = new java.io.ByteArrayOutputStream();
    MailFilter slowBody =
        new MailFilter() {
          @Override
          public CompletionStage<Void> body(ByteBuffer chunk) {
            // Completes on another thread, after the next chunks have arrived.
            return CompletableFuture.runAsync(
                () -> {
                  byte[] b = new byte[chunk.remaining()];
                  chunk.get(b);
                  synchronized (seenBody) {
                    seenBody.writeBytes(b);
                  }
                },
                pool);
          }

          @Override
          public CompletionStage<Decision> endOfMessage(Macros macros) {
            return Decision.proceed()
                .withChanges(
                    List.of(
                        new HeaderChange.Add("X-Body-Bytes", Integer.toString(seenBody.size()))))
                .completed();
          }
        };
    MilterSettings small =
        new MilterSettings(
            MilterSettings.DEFAULT_PACKET_SIZE,
            Duration.ofSeconds(20),
            Duration.ofSeconds(5),
            MilterSettings.ErrorAction.ACCEPT,
            1000,
            1 << 20,
            70_000, // pause the socket once a little over one chunk waits
            Map.of(),
            MilterSettings.DEFAULT_IDLE_TIMEOUT,
            MilterSettings.DEFAULT_PACKET_TIMEOUT);
    MilterServer server = server(vertx, small, factoryOf(slowBody));
    MilterClient c = connected(client(vertx, server));
    byte[] body = new byte[40 * 65535 + 123];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + (i * 7) % 26);
    }
    byte[] msg = new byte[14 + body.length];
    System.arraycopy("Subject: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, msg, 0, 14);
    System.arraycopy(body, 0, msg, 14, body.length);
    MilterResult r =
        await(c.send(MilterTransaction.of("a@b.example", List.of("c@d.example"), msg, "Q")));
    assertThat(r.modifications())
        .containsExactly(new MilterReply.AddHeader("X-Body-Bytes", " " + body.length));
    assertThat(seenBody.toByteArray()).isEqualTo(body);
  }
}
