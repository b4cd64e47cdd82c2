package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.authmill.milter.client.MilterClient;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.testkit.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile milter clients against a running milter server (a filter that reads every event and
 * changes headers, real sockets on 127.0.0.1, short configured timeouts): each bad connection is
 * closed (or, for a command merely out of order, answered and logged), the server logs why, a
 * well-behaved client is served meanwhile, and the open-sessions metric comes back to zero.
 */
class MilterServerHostileClientTest {
  /** Short timeouts so that the stalled-peer cases end quickly. */
  private static final Duration IDLE = Duration.ofSeconds(1);

  private static final Duration PACKET = Duration.ofMillis(500);

  /** A generous upper bound for anything the server should do "at once" on a loaded CI box. */
  private static final Duration SOON = Duration.ofSeconds(10);

  private static final int MAX_PACKET = 65536;

  private static Vertx vertx;
  private static SimpleMeterRegistry registry;
  private static MilterServer server;
  private LogCapture log;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = start(IDLE);
  }

  /** A server on two event loops with short bounds and a filter that sees every event. */
  private static MilterServer start(Duration idle) throws Exception {
    registry = new SimpleMeterRegistry();
    MilterSettings settings =
        new MilterSettings(
            MAX_PACKET,
            MilterSettings.DEFAULTS.handlerDeadline(),
            MilterSettings.DEFAULTS.progressInterval(),
            MilterSettings.ErrorAction.ACCEPT,
            MilterSettings.DEFAULTS.maxHeaders(),
            MilterSettings.DEFAULTS.maxHeaderBytes(),
            100_000,
            Map.of(),
            idle,
            PACKET);
    return await(
        MilterServer.start(
            vertx,
            SocketAddress.inetSocketAddress(0, "127.0.0.1"),
            2,
            new MilterServer.Setup(settings, ForgedFieldFilter.stamping("mx.test.local")),
            new MilterMetrics(registry)));
  }

  @AfterAll
  static void stop() throws Exception {
    await(server.shutdown(Duration.ofSeconds(1)));
    await(vertx.close());
  }

  @BeforeEach
  void captureLog() {
    log = LogCapture.of("org.authmill");
  }

  @AfterEach
  void afterEach() throws Exception {
    log.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static RawMilterPeer peer() throws IOException {
    return RawMilterPeer.connect(server.port(), Duration.ofSeconds(10));
  }

  /** A well-behaved Postfix-like client sends one message and gets it through, with a header. */
  private static void goodTransactionSucceeds() throws Exception {
    MilterClient c =
        await(
            MilterClient.connect(
                vertx,
                SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"),
                MilterClient.postfixConnectMacros("mx", "smtpd", "client.example", "192.0.2.7")));
    await(c.connectEvent("client.example", InetAddress.getByName("192.0.2.7"), 40000));
    await(c.helo("client.example", Map.of()));
    MilterResult r =
        await(
            c.send(
                MilterTransaction.of(
                    "a@example.com",
                    List.of("b@example.org"),
                    "From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1),
                    "Q1")));
    await(c.quit());
    assertThat(r.delivered()).as("good transaction: %s", r).isTrue();
    assertThat(r.modifications())
        .anyMatch(
            m ->
                m instanceof MilterReply.InsertHeader i
                    && i.name().equals("Authentication-Results"));
  }

  /** Waits (bounded) until no session is open, and checks the metric the operator sees. */
  private static void awaitNoSessions() throws InterruptedException {
    awaitNoSessions(SOON);
  }

  private static void awaitNoSessions(Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (server.openSessions() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(server.openSessions()).as("open sessions").isZero();
    assertThat(registry.get("authmill.milter.sessions.open").gauge().value()).isZero();
  }

  /** The bad connection is closed with a log line naming why; the server serves the next one. */
  private void assertClosedAndLogged(RawMilterPeer bad, String why) throws Exception {
    assertThat(bad.awaitClosed(SOON)).as("server closed the connection").isTrue();
    assertThat(log.await(why, SOON)).as("log line '%s' in:%n%s", why, log.text()).isTrue();
    bad.close();
    goodTransactionSucceeds();
    awaitNoSessions();
  }

  private static byte[] lengthOnly(long length) {
    return ByteBuffer.allocate(4).putInt((int) length).array();
  }

  @Test
  void length_zeroClosesTheConnection() throws Exception {
    RawMilterPeer bad = peer().write(lengthOnly(0));
    assertClosedAndLogged(bad, "packet length 0 is below 1");
  }

  @Test
  void length_twoToThe31ClosesBeforeReadingData() throws Exception {
    RawMilterPeer bad = peer().write(lengthOnly(1L << 31)).write(new byte[] {'B', 1, 2, 3});
    assertClosedAndLogged(bad, "packet length 2147483648 exceeds the limit of 65536 bytes");
  }

  @Test
  void length_allOnesClosesTheConnection() throws Exception {
    RawMilterPeer bad = peer().write(lengthOnly(0xFFFFFFFFL));
    assertClosedAndLogged(bad, "packet length 4294967295 exceeds the limit");
  }

  @Test
  void length_justOverTheBoundClosesButTheBoundItselfIsServed() throws Exception {
    try (RawMilterPeer ok = peer()) {
      ok.negotiate();
      ok.write(RawMilterPeer.connectPacket("c.example", "192.0.2.1"));
      assertThat(ok.read()).isInstanceOf(MilterReply.Continue.class);
      ok.write(RawMilterPeer.packet('M', RawMilterPeer.strings("<a@example.com>")));
      assertThat(ok.read()).isInstanceOf(MilterReply.Continue.class);
      ok.write(RawMilterPeer.packet('N', new byte[0]));
      assertThat(ok.read()).isInstanceOf(MilterReply.Continue.class);
      // A body chunk whose packet is exactly the bound: command byte + 65535 bytes.
      ok.write(RawMilterPeer.packet('B', new byte[MAX_PACKET - 1]));
      assertThat(ok.read()).isInstanceOf(MilterReply.Continue.class);
      // One byte more: refused before its data is read.
      ok.write(lengthOnly(MAX_PACKET + 1));
      assertClosedAndLogged(ok, "packet length 65537 exceeds the limit of 65536 bytes");
    }
  }

  @Test
  void truncated_packetThatNeverCompletesIsClosedAfterThePacketTimeout() throws Exception {
    RawMilterPeer bad = peer();
    bad.negotiate();
    long start = System.nanoTime();
    // Announces 100 bytes, sends 10, then waits: the server must not wait forever.
    bad.write(lengthOnly(100)).write(new byte[] {'L', 'S', 'u', 'b', 0, 'x', 'y', 'z', 'w', 'v'});
    assertClosedAndLogged(bad, "did not arrive whole within the packet timeout of 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(PACKET);
  }

  @Test
  void truncated_packetThenDisconnectEndsTheSession() throws Exception {
    RawMilterPeer bad = peer();
    bad.negotiate();
    bad.write(lengthOnly(50)).write(new byte[] {'C', 'h', 'o'});
    bad.close();
    goodTransactionSucceeds();
    awaitNoSessions();
  }

  @Test
  void truncated_packetThenHalfCloseEndsTheSession() throws Exception {
    RawMilterPeer bad = peer();
    bad.negotiate();
    bad.write(lengthOnly(50)).write(new byte[] {'C', 'h', 'o'});
    bad.shutdownOutput();
    assertThat(bad.awaitClosed(SOON)).isTrue();
    bad.close();
    goodTransactionSucceeds();
    awaitNoSessions();
  }

  @Test
  void command_unknownByteClosesTheConnection() throws Exception {
    RawMilterPeer bad = peer();
    bad.negotiate();
    bad.write(RawMilterPeer.packet('Z', new byte[] {1, 2, 3}));
    assertClosedAndLogged(bad, "unknown command 'Z' from MTA");
  }

  @Test
  void command_modificationRepliesSentByTheClientCloseTheConnection() throws Exception {
    // A peer that sends filter-side packets (add header, change header, quarantine) as if it
    // could ask for modifications is speaking the wrong side of the protocol.
    for (char c : new char[] {'h', 'm', 'i', 'q', '+'}) {
      log.clear();
      RawMilterPeer bad = peer();
      bad.negotiate();
      bad.write(RawMilterPeer.packet(c, RawMilterPeer.strings("X-Evil", "yes")));
      assertClosedAndLogged(bad, "unknown command '" + c + "' from MTA");
    }
  }

  @Test
  void command_malformedDataClosesTheConnection() throws Exception {
    RawMilterPeer bad = peer();
    bad.negotiate();
    // A header without the NUL that ends its value.
    bad.write(RawMilterPeer.packet('L', "Subject\0no end".getBytes(StandardCharsets.ISO_8859_1)));
    assertClosedAndLogged(bad, "string not terminated by NUL");
  }

  @Test
  void order_anythingBeforeNegotiationClosesTheConnection() throws Exception {
    RawMilterPeer bad = peer().write(RawMilterPeer.connectPacket("c.example", "192.0.2.1"));
    assertClosedAndLogged(bad, "expected option negotiation first");
  }

  @Test
  void order_secondNegotiationClosesTheConnection() throws Exception {
    RawMilterPeer bad = peer();
    bad.negotiate();
    bad.write(RawMilterPeer.negotiate(6, 0x1FF, 0));
    assertClosedAndLogged(bad, "second option negotiation");
  }

  @Test
  void order_commandsOutOfOrderAreAnsweredContinueAndLoggedThenServedNormally() throws Exception {
    try (RawMilterPeer odd = peer()) {
      odd.negotiate();
      // MAIL, RCPT, a header and end-of-headers before CONNECT.
      odd.write(RawMilterPeer.packet('M', RawMilterPeer.strings("<a@example.com>")));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      odd.write(RawMilterPeer.packet('R', RawMilterPeer.strings("<b@example.org>")));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      odd.write(RawMilterPeer.packet('L', RawMilterPeer.strings("From", "a@example.com")));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      odd.write(RawMilterPeer.packet('N', new byte[0]));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      assertThat(log.await("protocol error: Mail in phase READY", SOON)).isTrue();
      assertThat(log.text()).contains("protocol error: Rcpt in phase READY");
      // The same connection then runs a message in order.
      odd.write(RawMilterPeer.connectPacket("c.example", "192.0.2.1"));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      odd.write(RawMilterPeer.packet('H', RawMilterPeer.strings("c.example")));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      // RCPT before MAIL, DATA before MAIL: answered, logged.
      odd.write(RawMilterPeer.packet('R', RawMilterPeer.strings("<b@example.org>")));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      assertThat(log.await("protocol error: Rcpt in phase CONNECTED", SOON)).isTrue();
      odd.write(RawMilterPeer.packet('M', RawMilterPeer.strings("<a@example.com>")));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      odd.write(RawMilterPeer.packet('L', RawMilterPeer.strings("From", "a@example.com")));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      odd.write(RawMilterPeer.packet('N', new byte[0]));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      odd.write(RawMilterPeer.packet('B', "hi\r\n".getBytes(StandardCharsets.ISO_8859_1)));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      odd.write(RawMilterPeer.packet('E', new byte[0]));
      List<MilterReply> eom = new ArrayList<>();
      MilterReply r;
      do {
        r = odd.read();
        eom.add(r);
      } while (!r.isFinal());
      assertThat(eom).last().isInstanceOf(MilterReply.Continue.class);
      assertThat(eom)
          .anyMatch(
              m ->
                  m instanceof MilterReply.InsertHeader i
                      && i.name().equals("Authentication-Results"));
      odd.write(RawMilterPeer.packet('Q', new byte[0]));
      assertThat(odd.awaitClosed(SOON)).isTrue();
    }
    goodTransactionSucceeds();
    awaitNoSessions();
  }

  @Test
  void order_endOfMessageWithoutAMessageIsAnsweredContinueWithoutModifications() throws Exception {
    try (RawMilterPeer odd = peer()) {
      odd.negotiate();
      odd.write(RawMilterPeer.connectPacket("c.example", "192.0.2.1"));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      odd.write(RawMilterPeer.packet('E', new byte[0]));
      // Exactly one reply, final, no modification before it.
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      assertThat(log.await("end-of-message in phase CONNECTED", SOON)).isTrue();
      odd.write(RawMilterPeer.packet('E', "stray body".getBytes(StandardCharsets.ISO_8859_1)));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
      // The connection is still in step: a next command is answered.
      odd.write(RawMilterPeer.packet('H', RawMilterPeer.strings("c.example")));
      assertThat(odd.read()).isInstanceOf(MilterReply.Continue.class);
    }
    goodTransactionSucceeds();
    awaitNoSessions();
  }

  @Test
  void idle_connectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
    long start = System.nanoTime();
    RawMilterPeer idle = peer();
    idle.negotiate();
    assertClosedAndLogged(idle, "nothing from the MTA for");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(IDLE);
    assertThat(counter("authmill.milter.timeouts", "kind", "idle")).isPositive();
  }

  @Test
  void slow_oneByteAtATimeIsClosedAfterThePacketTimeout() throws Exception {
    RawMilterPeer slow = peer();
    byte[] negotiate = RawMilterPeer.negotiate(6, 0x1FF, 0);
    long start = System.nanoTime();
    boolean cut = false;
    // 17 bytes, 100 ms apart: 1.7 s for a packet the bound allows 0.5 s.
    for (int i = 0; i < negotiate.length; i++) {
      try {
        slow.write(new byte[] {negotiate[i]});
      } catch (IOException closed) {
        cut = true;
        break;
      }
      Thread.sleep(100);
    }
    assertThat(cut || slow.awaitClosed(SOON)).isTrue();
    assertThat(log.await("did not arrive whole within the packet timeout", SOON)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(PACKET);
    slow.close();
    goodTransactionSucceeds();
    awaitNoSessions();
  }

  @Test
  void slow_bytesTrickledWithinThePacketTimeoutAreServed() throws Exception {
    try (RawMilterPeer slow = peer()) {
      slow.negotiate();
      // A CONNECT packet one byte per write, 5 ms apart: well within the 500 ms bound.
      for (byte b : RawMilterPeer.connectPacket("c.example", "192.0.2.1")) {
        slow.write(new byte[] {b});
        Thread.sleep(5);
      }
      assertThat(slow.read()).isInstanceOf(MilterReply.Continue.class);
    }
    awaitNoSessions();
  }

  @Test
  void reader_clientThatStopsReadingIsNotBufferedWithoutBound() throws Exception {
    Socket s = new Socket();
    // A small receive window, fixed before the handshake: the replies pile up on the server.
    s.setReceiveBufferSize(4096);
    s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
    s.setTcpNoDelay(true);
    OutputStream out = s.getOutputStream();
    out.write(RawMilterPeer.negotiate(6, 0x1FF, 0));
    out.write(RawMilterPeer.connectPacket("c.example", "192.0.2.1"));
    // Then unknown SMTP commands, each answered with a reply this client never reads.
    byte[] unknown = RawMilterPeer.packet('U', RawMilterPeer.strings("x"));
    byte[] burst = new byte[unknown.length * 1000];
    for (int i = 0; i < 1000; i++) {
      System.arraycopy(unknown, 0, burst, i * unknown.length, unknown.length);
    }
    AtomicLong written = new AtomicLong();
    long cap = 256L << 20; // if the server read (and answered) without bound, this would be hit
    ExecutorService writer = Executors.newSingleThreadExecutor();
    var done =
        writer.submit(
            () -> {
              try {
                while (written.get() < cap) {
                  out.write(burst);
                  written.addAndGet(burst.length);
                }
                return "cap";
              } catch (IOException e) {
                return "closed: " + e.getMessage();
              }
            });
    try {
      // Meanwhile, others are served.
      goodTransactionSucceeds();
      String outcome = done.get(60, TimeUnit.SECONDS);
      assertThat(outcome).startsWith("closed");
      assertThat(written.get())
          .as("bytes the server took in before it stopped reading")
          .isLessThan(64L << 20);
      assertThat(log.await("has not read our replies for 500 ms", SOON)).isTrue();
      assertThat(counter("authmill.milter.timeouts", "kind", "write")).isPositive();
    } finally {
      writer.shutdownNow();
      s.close();
    }
    goodTransactionSucceeds();
    awaitNoSessions();
  }

  @Test
  void churn_thousandsOfConnectionsOpenedAndDroppedLeakNoSession() throws Exception {
    // A server of its own with a longer idle timeout: a burst of connections can overflow the
    // kernel's queues, and TCP then retransmits (a second or more later); those delays must not
    // be mistaken for a stalled peer here.
    MilterServer shared = server;
    SimpleMeterRegistry sharedRegistry = registry;
    server = start(Duration.ofSeconds(60));
    try {
      churn();
    } finally {
      await(server.shutdown(Duration.ofSeconds(1)));
      server = shared;
      registry = sharedRegistry;
    }
  }

  private void churn() throws Exception {
    int connections = 3000;
    double before = registry.get("authmill.milter.sessions").counter().count();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
    byte[] negotiate = RawMilterPeer.negotiate(6, 0x1FF, 0);
    for (int t = 0; t < 16; t++) {
      int thread = t;
      jobs.add(
          pool.submit(
              () -> {
                for (int i = thread; i < connections; i += 16) {
                  try (Socket s = new Socket("127.0.0.1", server.port())) {
                    switch (i % 4) {
                      case 0 -> {} // connect and drop
                      case 1 -> s.getOutputStream().write(negotiate, 0, 7); // half a packet
                      case 2 -> s.getOutputStream().write(negotiate); // negotiate, never read
                      default -> {
                        s.setSoLinger(true, 0); // drop with a reset
                        s.getOutputStream().write(negotiate);
                      }
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                }
                return null;
              }));
    }
    try {
      goodTransactionSucceeds();
      for (var job : jobs) {
        job.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    goodTransactionSucceeds();
    awaitNoSessions(Duration.ofSeconds(60));
    double after = registry.get("authmill.milter.sessions").counter().count();
    assertThat(after - before).isGreaterThanOrEqualTo(connections);
  }

  private static double counter(String name, String tag, String value) {
    var c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }
}
