package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.authmill.testkit.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Whole milter sessions from any byte stream, against a running milter server whose filter reads
 * every event and changes headers at end-of-message: the server never fails internally (no ERROR
 * line), answers exactly the commands the protocol says it answers, strictly in order
 * (modifications only in reply to end-of-message), closes the connection on garbage, and leaks no
 * session.
 *
 * <p>The expected replies come from a model of the protocol over the frames the stream holds (cut
 * by the codec, which is fuzzed on its own): every command but D, A, K and Q gets one final reply,
 * except those the negotiated NR flags silence; a first command other than O, a second O, an O
 * below version 2, an unknown or malformed command, and Q end the connection.
 */
class MilterSessionFuzzTest {
  private static final int MAX_PACKET = 65536;
  private static final Duration READ_BOUND = Duration.ofSeconds(30);

  private static Vertx vertx;
  private static MilterServer server;
  private static LogCapture errors;
  private static LogCapture quiet;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    MilterSettings settings =
        new MilterSettings(
            MAX_PACKET,
            Duration.ofSeconds(10),
            MilterSettings.DEFAULTS.progressInterval(),
            MilterSettings.ErrorAction.ACCEPT,
            50,
            20000,
            MilterSettings.DEFAULTS.maxQueuedBytes(),
            Map.of(),
            MilterSettings.DEFAULT_IDLE_TIMEOUT,
            MilterSettings.DEFAULT_PACKET_TIMEOUT);
    server =
        MilterServer.start(
                vertx,
                SocketAddress.inetSocketAddress(0, "127.0.0.1"),
                2,
                new MilterServer.Setup(settings, ForgedFieldFilter.stamping("mx.test.local")),
                new MilterMetrics(new SimpleMeterRegistry()))
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    // Protocol errors are logged at WARN, thousands of times while fuzzing: only ERROR counts.
    quiet = LogCapture.of("org.authmill", Level.ERROR);
    errors = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.ERROR);
  }

  @AfterAll
  static void stop() throws Exception {
    errors.close();
    quiet.close();
    server
        .shutdown(Duration.ofSeconds(1))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * The stream the server will get: whole frames only, and a QUIT when the input leaves it open.
   */
  private record Stream(byte[] bytes, List<Buffer> frames, boolean lengthError) {}

  private static Stream stream(byte[] input) {
    List<Buffer> frames = new ArrayList<>();
    boolean[] lengthError = {false};
    long[] framed = {0};
    Handler<Buffer> reader =
        new MilterCodec(MAX_PACKET)
            .reader(
                f -> {
                  frames.add(f);
                  framed[0] += 4 + f.length();
                },
                e -> lengthError[0] = true);
    reader.handle(Buffer.buffer(input));
    if (lengthError[0]) {
      return new Stream(input, frames, true);
    }
    // A trailing partial packet would leave the server waiting: it is dropped, and a QUIT added
    // (a model that already closed the session ignores it).
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(input, 0, (int) framed[0]);
    out.writeBytes(RawMilterPeer.packet('Q', new byte[0]));
    return new Stream(out.toByteArray(), frames, false);
  }

  /**
   * The commands that get a reply, in order ('O' for the negotiation, 'E' for end-of-message, whose
   * reply may follow modifications), given the protocol flags the server negotiated.
   */
  private static List<Character> due(List<Buffer> frames, int protocol) {
    List<Character> due = new ArrayList<>();
    boolean negotiated = false;
    for (Buffer frame : frames) {
      MilterCommand c;
      try {
        c = MilterCodec.decodeCommand(frame);
      } catch (MilterProtocolException e) {
        return due; // closed
      }
      if (!negotiated) {
        if (!(c instanceof MilterCommand.Negotiate n) || n.version() < 2) {
          return due;
        }
        negotiated = true;
        due.add('O');
        continue;
      }
      if (c instanceof MilterCommand.Negotiate || c instanceof MilterCommand.Quit) {
        return due;
      } else if (c instanceof MilterCommand.Macros
          || c instanceof MilterCommand.Abort
          || c instanceof MilterCommand.QuitNewConnection) {
        continue;
      } else if (c instanceof MilterCommand.Header) {
        if ((protocol & MilterProtocol.NR_HDR) == 0) {
          due.add('L');
        }
      } else if (c instanceof MilterCommand.EndOfHeaders) {
        if ((protocol & MilterProtocol.NR_EOH) == 0) {
          due.add('N');
        }
      } else if (c instanceof MilterCommand.Body) {
        if ((protocol & MilterProtocol.NR_BODY) == 0) {
          due.add('B');
        }
      } else {
        due.add(c.code());
      }
    }
    return due;
  }

  @FuzzTest(maxDuration = "30s")
  void session_anyPacketStream_repliesInOrderNeverFailsClosesCleanly(byte[] input)
      throws Exception {
    errors.clear();
    Stream stream = stream(input);
    List<MilterReply> got;
    // Jazzer's server-side request forgery detector: this test talks to its own server only.
    try (var loopback =
        BugDetectors.allowNetworkConnections(
            (host, port) ->
                (host.equals("127.0.0.1") || host.equals("localhost")) && port == server.port())) {
      got = exchange(stream.bytes());
    }
    int protocol =
        !got.isEmpty() && got.get(0) instanceof MilterReply.Negotiate n ? n.protocol() : 0;
    List<Character> due = due(stream.frames(), protocol);
    int i = 0;
    for (char command : due) {
      if (i == got.size()) {
        // Only a bad length closes at once, possibly before replies still being worked on.
        assertThat(stream.lengthError())
            .as("reply to %s missing; got %s for %s", command, got, due)
            .isTrue();
        break;
      }
      if (command == 'O') {
        assertThat(got.get(i++)).isInstanceOf(MilterReply.Negotiate.class);
        continue;
      }
      if (command == 'E') {
        while (i < got.size() && !got.get(i).isFinal()) {
          i++; // modifications, quarantine, progress: only before end-of-message's reply
        }
        if (i == got.size()) {
          assertThat(stream.lengthError()).as("end-of-message without a final reply").isTrue();
          break;
        }
      }
      MilterReply r = got.get(i++);
      assertThat(r.isFinal() && !(r instanceof MilterReply.Negotiate))
          .as("reply %s to %s (all: %s for %s)", r, command, got, due)
          .isTrue();
    }
    assertThat(got.subList(i, got.size())).as("replies nobody asked for").isEmpty();
    awaitNoSessions();
    List<String> bad = errors.lines().stream().filter(l -> l.startsWith("ERROR")).toList();
    assertThat(bad).as("internal errors").isEmpty();
  }

  /** Writes the stream, then reads replies until the server closes (bounded). */
  private static List<MilterReply> exchange(byte[] bytes) throws IOException {
    List<MilterReply> replies = new ArrayList<>();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
      s.setSoTimeout((int) READ_BOUND.toMillis());
      try {
        s.getOutputStream().write(bytes);
      } catch (SocketException closedEarly) {
        // the server may close on garbage before everything is written
      }
      DataInputStream in = new DataInputStream(s.getInputStream());
      while (true) {
        int length;
        try {
          length = in.readInt();
        } catch (EOFException | SocketException end) {
          return replies;
        }
        assertThat(length).isBetween(1, MilterSettings.DEFAULT_PACKET_SIZE);
        byte[] frame = new byte[length];
        in.readFully(frame);
        replies.add(MilterCodec.decodeReply(Buffer.buffer(frame)));
      }
    }
  }

  private static void awaitNoSessions() throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (server.openSessions() > 0 && System.nanoTime() < end) {
      Thread.sleep(1);
    }
    assertThat(server.openSessions()).as("sessions left open").isZero();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(out::writeBytes);
    return out.toByteArray();
  }
}
