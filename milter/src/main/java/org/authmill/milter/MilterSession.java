package org.authmill.milter;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One milter connection: a state machine over the MTA's commands that calls one {@link MailFilter}
 * and answers strictly in order.
 *
 * <p>Packets are queued as they arrive and handled one at a time; while a filter callback runs
 * asynchronously the queue waits (and the socket is paused once {@link
 * MilterSettings#maxQueuedBytes()} are waiting). Replies go out only for events the negotiated
 * flags say the MTA waits for: never for D, A, Q, K, nor for events under a negotiated {@code
 * NR_*}. Modifications go out only in reply to end-of-message. A filter that throws, fails or
 * misses {@link MilterSettings#handlerDeadline()} yields {@link MilterSettings#errorAction()} for
 * its message, with a log line.
 *
 * <p>A peer that breaks the framing (a bad length, an unknown or malformed command, anything before
 * negotiation) is closed after the replies already due are flushed. A stalled peer is closed too:
 * one that sends nothing for {@link MilterSettings#idleTimeout()}, one whose packet does not arrive
 * whole within {@link MilterSettings#packetTimeout()}, and one that leaves our replies unread that
 * long (reading and handling stop as soon as its write queue is full, so it cannot make the session
 * buffer without bound).
 */
public final class MilterSession {
  private static final Logger LOG = LoggerFactory.getLogger(MilterSession.class);
  private static final Logger MESSAGES = LoggerFactory.getLogger("org.authmill.server.message");

  /** How many commands out of order one session logs; more are only counted. */
  static final int MAX_LOGGED_PROTOCOL_WARNINGS = 10;

  /** A no-reply flag that no negotiation can clear: the event never gets a reply. */
  private static final int NEVER_REPLY = -1;

  /** Where the session is in the milter sequence. */
  enum Phase {
    /** Before option negotiation. */
    NEW,
    /** Negotiated; waiting for CONNECT. */
    READY,
    /** Connected; between messages. */
    CONNECTED,
    /** After MAIL: envelope. */
    ENVELOPE,
    /** Headers arriving. */
    HEADERS,
    /** Body arriving (after end-of-headers). */
    BODY,
    /** End-of-message answered; waiting for ABORT or the next MAIL. */
    DONE
  }

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final MilterSettings settings;
  private final MailFilterFactory factory;
  private final MilterMetrics metrics;
  private final Runnable onClose;
  private final String id;

  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean queueFull;
  private boolean writeBlocked;
  private boolean paused;
  private boolean busy;
  private boolean closing;
  private boolean closed;

  // Stall detection: bytes received and framed, when the MTA last sent or was sent something.
  private long receivedBytes;
  private long framedBytes;
  private long packetTimer = -1;
  private long packetTimerFramed;
  private long idleTimer = -1;
  private long stallTimer = -1;
  private long lastActivityNanos = System.nanoTime();
  private int protocolWarnings;

  private Phase phase = Phase.NEW;
  private int mtaVersion;
  private int actions;
  private int protocol;

  private MailFilter filter;
  private boolean connectionFailed;
  private boolean connectionSettled;
  private ClientInfo client;
  private String helo = "";
  private final Map<String, String> connectionMacros = new LinkedHashMap<>();
  private final Map<String, String> messageMacros = new LinkedHashMap<>();

  private Message message;

  /** Per-message state, dropped on ABORT. */
  private static final class Message {
    final long startNanos = System.nanoTime();
    long filterNanos;
    String sender = "";
    int recipients;
    int rejectedRecipients;
    int headers;
    long headerBytes;
    long bodyBytes;
    boolean failed;
    String failure = "";
    boolean settled;
    String settledBy = "";
    boolean endReached;
  }

  /**
   * A session on an accepted socket; call {@link #start()} to begin reading.
   *
   * @param onClose called once when the connection is gone
   */
  public MilterSession(
      Vertx vertx,
      NetSocket socket,
      MilterSettings settings,
      MailFilterFactory factory,
      MilterMetrics metrics,
      Runnable onClose) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.settings = settings;
    this.factory = factory;
    this.metrics = metrics;
    this.onClose = onClose;
    this.id = Integer.toHexString(System.identityHashCode(this));
  }

  /** Begins reading packets. */
  public void start() {
    metrics.sessionOpened();
    MilterCodec codec = new MilterCodec(settings.maxPacketSize());
    Handler<Buffer> reader = codec.reader(this::enqueue, this::framingError);
    socket.handler(
        bytes -> {
          receivedBytes += bytes.length();
          lastActivityNanos = System.nanoTime();
          reader.handle(bytes);
          watchPacket();
        });
    socket.closeHandler(v -> onSocketClosed());
    socket.exceptionHandler(
        t -> LOG.debug("session {}: socket error: {}", id, String.valueOf(t.getMessage())));
    socket.drainHandler(v -> drained());
    armIdle(settings.idleTimeout().toMillis());
  }

  /** True once the connection is closed. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the connection now (shutdown after the grace period), replies in flight or not. Safe to
   * call from any thread: the session's own event loop does it.
   */
  public void close() {
    context.runOnContext(v -> drop());
  }

  /**
   * Ends the session: nothing more is read or handled, the replies already written are flushed, and
   * the connection closes. A peer that does not read them within the packet timeout is cut off
   * ({@link #drop()}).
   */
  private void end() {
    if (closing || closed) {
      return;
    }
    closing = true;
    queue.clear();
    socket.close();
    vertx.setTimer(
        settings.packetTimeout().toMillis(),
        t -> {
          if (!closed) {
            drop();
          }
        });
  }

  /**
   * Closes the connection at once. A plain {@link NetSocket#close()} (and a close passed down the
   * whole channel pipeline) waits for the replies still queued to be written, which a peer that
   * stops reading never lets happen: such a peer's connection is closed from Vert.x's own handler
   * towards the socket, past that queue.
   */
  private void drop() {
    closing = true;
    queue.clear();
    if (socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }

  /** True between messages, when closing the connection loses no work in progress. */
  boolean isIdle() {
    return !busy && queue.isEmpty() && (message == null || phase == Phase.DONE);
  }

  private void framingError(MilterProtocolException e) {
    if (closing || closed) {
      return;
    }
    LOG.warn("session {}: protocol error, closing: {}", id, e.getMessage());
    metrics.protocolError();
    end();
  }

  private void enqueue(Buffer frame) {
    framedBytes += 4 + frame.length();
    if (closed || closing) {
      return;
    }
    queue.add(frame);
    queuedBytes += frame.length();
    if (!queueFull && queuedBytes > settings.maxQueuedBytes()) {
      queueFull = true;
      updateReading();
    }
    pump();
  }

  private void pump() {
    while (!busy && !closed && !closing && !writeBlocked) {
      Buffer frame = queue.poll();
      if (frame == null) {
        return;
      }
      queuedBytes -= frame.length();
      if (queueFull && queuedBytes <= settings.maxQueuedBytes() / 2) {
        queueFull = false;
        updateReading();
      }
      MilterCommand command;
      try {
        command = MilterCodec.decodeCommand(frame);
      } catch (MilterProtocolException e) {
        framingError(e);
        return;
      }
      if (LOG.isTraceEnabled()) {
        LOG.trace("session {}: {} in phase {}", id, command, phase);
      }
      Future<Void> done;
      try {
        done = handle(command);
      } catch (MilterProtocolException e) {
        framingError(e);
        return;
      } catch (RuntimeException e) {
        LOG.error("session {}: internal error on {}, closing", id, command, e);
        metrics.protocolError();
        end();
        return;
      }
      if (!done.isComplete()) {
        busy = true;
        done.onComplete(
            ar -> {
              busy = false;
              if (ar.failed()) {
                LOG.error("session {}: internal error, closing", id, ar.cause());
                end();
              }
              pump();
            });
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Back-pressure and stalled peers

  /**
   * Reads from the socket only while the queue has room and the MTA reads our replies: neither a
   * fast writer nor a peer that stops reading can make the session buffer without bound.
   */
  private void updateReading() {
    boolean pause = queueFull || writeBlocked;
    if (pause == paused || closed) {
      return;
    }
    paused = pause;
    if (pause) {
      socket.pause();
    } else {
      socket.resume();
    }
    watchPacket();
  }

  /**
   * Keeps the packet timer: armed when a packet has begun but not yet arrived whole while the
   * session reads, restarted for each new packet, stopped while reading is paused.
   */
  private void watchPacket() {
    if (closed || closing) {
      cancelPacketTimer();
      return;
    }
    boolean partial = receivedBytes > framedBytes;
    if (!partial || paused) {
      cancelPacketTimer();
      return;
    }
    if (packetTimer >= 0 && packetTimerFramed == framedBytes) {
      return; // the same packet is still on its way
    }
    cancelPacketTimer();
    packetTimerFramed = framedBytes;
    long millis = settings.packetTimeout().toMillis();
    packetTimer =
        vertx.setTimer(
            millis,
            t -> {
              packetTimer = -1;
              if (!closed) {
                LOG.warn(
                    "session {}: a packet did not arrive whole within the packet timeout of {} ms"
                        + " ({} bytes of it came); closing",
                    id,
                    millis,
                    receivedBytes - framedBytes);
                metrics.timeout("packet");
                end();
              }
            });
  }

  private void cancelPacketTimer() {
    if (packetTimer >= 0) {
      vertx.cancelTimer(packetTimer);
      packetTimer = -1;
    }
  }

  private void armIdle(long millis) {
    idleTimer = vertx.setTimer(Math.max(1, millis), t -> checkIdle());
  }

  /** Closes a session the MTA has sent nothing on, nor been sent anything, for the idle timeout. */
  private void checkIdle() {
    idleTimer = -1;
    if (closed || closing) {
      return; // ending already, with its own bound
    }
    long limit = settings.idleTimeout().toMillis();
    if (busy || !queue.isEmpty() || paused) {
      // The MTA waits for us (or we for it to read): not idle; the deadlines cover that time.
      lastActivityNanos = System.nanoTime();
      armIdle(limit);
      return;
    }
    long quiet = (System.nanoTime() - lastActivityNanos) / 1_000_000;
    if (quiet >= limit) {
      LOG.warn(
          "session {}: nothing from the MTA for {} ms (idle timeout {} ms); closing",
          id,
          quiet,
          limit);
      metrics.timeout("idle");
      end();
      return;
    }
    armIdle(limit - quiet);
  }

  /** The socket's write queue is full: stop reading and handling until the MTA reads. */
  private void writeQueueFull() {
    writeBlocked = true;
    updateReading();
    long millis = settings.packetTimeout().toMillis();
    stallTimer =
        vertx.setTimer(
            millis,
            t -> {
              stallTimer = -1;
              if (writeBlocked && !closed) {
                LOG.warn(
                    "session {}: the MTA has not read our replies for {} ms (packet timeout);"
                        + " closing",
                    id,
                    millis);
                metrics.timeout("write");
                drop();
              }
            });
  }

  private void drained() {
    if (!writeBlocked || closed) {
      return;
    }
    writeBlocked = false;
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
    updateReading();
    pump();
  }

  private void onSocketClosed() {
    if (closed) {
      return;
    }
    closed = true;
    queue.clear();
    cancelPacketTimer();
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
    if (filter != null) {
      endMessage("disconnected");
      try {
        filter.close();
      } catch (RuntimeException e) {
        LOG.warn("session {}: filter close failed: {}", id, e.toString());
      }
      filter = null;
    }
    metrics.sessionClosed();
    onClose.run();
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  private Future<Void> handle(MilterCommand command) {
    if (phase == Phase.NEW && !(command instanceof MilterCommand.Negotiate)) {
      throw new MilterProtocolException("expected option negotiation first, got " + command);
    }
    if (command instanceof MilterCommand.Negotiate n) {
      return negotiate(n);
    } else if (command instanceof MilterCommand.Macros m) {
      macros(m);
      return Future.succeededFuture();
    } else if (command instanceof MilterCommand.Connect c) {
      return connect(c);
    } else if (command instanceof MilterCommand.Helo h) {
      return helo(h);
    } else if (command instanceof MilterCommand.Mail m) {
      return mail(m);
    } else if (command instanceof MilterCommand.Rcpt r) {
      return rcpt(r);
    } else if (command instanceof MilterCommand.Data) {
      return data();
    } else if (command instanceof MilterCommand.Header h) {
      return header(h);
    } else if (command instanceof MilterCommand.EndOfHeaders) {
      return endOfHeaders();
    } else if (command instanceof MilterCommand.Body b) {
      return body(b.chunk(), MilterProtocol.NR_BODY, true);
    } else if (command instanceof MilterCommand.EndOfMessage e) {
      return endOfMessage(e);
    } else if (command instanceof MilterCommand.Abort) {
      endMessage("aborted");
      if (phase != Phase.READY) {
        phase = Phase.CONNECTED;
      }
      return Future.succeededFuture();
    } else if (command instanceof MilterCommand.Quit) {
      end();
      return Future.succeededFuture();
    } else if (command instanceof MilterCommand.QuitNewConnection) {
      endConnection();
      return Future.succeededFuture();
    } else {
      return unknown();
    }
  }

  private Future<Void> negotiate(MilterCommand.Negotiate offer) {
    if (phase != Phase.NEW) {
      throw new MilterProtocolException("second option negotiation on one connection");
    }
    if (offer.version() < 2) {
      throw new MilterProtocolException("MTA speaks milter version " + offer.version() + " < 2");
    }
    mtaVersion = Math.min(offer.version(), MilterProtocol.VERSION);
    Set<MailEvent> events = factory.events();
    int wantActions = MilterProtocol.ADDHDRS | MilterProtocol.CHGHDRS;
    if (factory.quarantines()) {
      wantActions |= MilterProtocol.QUARANTINE;
    }
    Map<Integer, String> macroRequest = Map.of();
    if (!settings.requestMacros().isEmpty() && (offer.actions() & MilterProtocol.SETSYMLIST) != 0) {
      wantActions |= MilterProtocol.SETSYMLIST;
      macroRequest = settings.requestMacros();
    }
    int wantProtocol =
        MilterProtocol.NOUNKNOWN
            | MilterProtocol.NODATA
            | MilterProtocol.NR_HDR
            | MilterProtocol.NR_EOH
            | MilterProtocol.NR_BODY
            | MilterProtocol.HDR_LEADSPC;
    if (!events.contains(MailEvent.HELO)) {
      wantProtocol |= MilterProtocol.NOHELO;
    }
    if (!events.contains(MailEvent.MAIL)) {
      wantProtocol |= MilterProtocol.NOMAIL;
    }
    if (!events.contains(MailEvent.RCPT)) {
      wantProtocol |= MilterProtocol.NORCPT;
    }
    if (!events.contains(MailEvent.HEADER)) {
      wantProtocol |= MilterProtocol.NOHDRS;
    }
    if (!events.contains(MailEvent.END_OF_HEADERS)) {
      wantProtocol |= MilterProtocol.NOEOH;
    }
    if (!events.contains(MailEvent.BODY)) {
      wantProtocol |= MilterProtocol.NOBODY;
    }
    actions = wantActions & offer.actions();
    protocol = wantProtocol & offer.protocol();
    if (actions != wantActions || protocol != wantProtocol) {
      LOG.info(
          "session {}: MTA (milter v{}) offers less than wanted: actions 0x{} of 0x{},"
              + " protocol 0x{} of 0x{}; going on with what it offers",
          id,
          offer.version(),
          Integer.toHexString(actions),
          Integer.toHexString(wantActions),
          Integer.toHexString(protocol),
          Integer.toHexString(wantProtocol));
    }
    phase = Phase.READY;
    return write(
        new MilterReply.Negotiate(
            mtaVersion, actions, protocol, mtaVersion >= 6 ? macroRequest : Map.of()));
  }

  private void macros(MilterCommand.Macros m) {
    boolean connectionLevel = m.forCommand() == 'C' || m.forCommand() == 'H';
    Map<String, String> target = connectionLevel ? connectionMacros : messageMacros;
    m.macros().forEach((name, value) -> target.put(Macros.normalise(name), value));
  }

  private Macros currentMacros() {
    Map<String, String> all = new HashMap<>(connectionMacros);
    all.putAll(messageMacros);
    return new Macros(all);
  }

  private Future<Void> connect(MilterCommand.Connect c) {
    if (phase != Phase.READY) {
      return outOfOrder(c, MilterProtocol.NR_CONN);
    }
    phase = Phase.CONNECTED;
    Optional<InetAddress> address = Optional.empty();
    if (c.family() == MilterCommand.Family.INET || c.family() == MilterCommand.Family.INET6) {
      address = parseAddress(c.address());
    }
    client = new ClientInfo(c.hostname(), address, c.port());
    try {
      filter = factory.create();
    } catch (RuntimeException e) {
      LOG.error("session {}: the filter factory failed; this connection is not filtered", id, e);
      metrics.filterFailure("error");
      connectionFailed = true;
      return replyUnless(MilterProtocol.NR_CONN, fallbackReply(false));
    }
    Macros macros = currentMacros();
    ClientInfo info = client;
    return verdictStep("connect", MilterProtocol.NR_CONN, true, () -> filter.connect(info, macros));
  }

  private static Optional<InetAddress> parseAddress(String text) {
    String a = text.startsWith("IPv6:") ? text.substring(5) : text;
    // Only literal addresses: never let InetAddress resolve a name.
    if (a.isEmpty()
        || !(a.indexOf(':') >= 0 || a.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)))) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(a));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private Future<Void> helo(MilterCommand.Helo h) {
    if (phase != Phase.CONNECTED) {
      return outOfOrder(h, MilterProtocol.NR_HELO);
    }
    helo = h.name();
    Macros macros = currentMacros();
    return verdictStep("helo", MilterProtocol.NR_HELO, true, () -> filter.helo(h.name(), macros));
  }

  private Future<Void> mail(MilterCommand.Mail m) {
    if (phase == Phase.NEW || phase == Phase.READY) {
      return outOfOrder(m, MilterProtocol.NR_MAIL);
    }
    if (message != null) {
      // No ABORT between two messages (Sendmail may skip it): the new MAIL ends the old one.
      Map<String, String> keep = new LinkedHashMap<>(messageMacros);
      endMessage("aborted");
      messageMacros.putAll(keep);
    }
    message = new Message();
    message.sender = stripBrackets(m.args().get(0));
    phase = Phase.ENVELOPE;
    Macros macros = currentMacros();
    String sender = message.sender;
    List<String> args = m.args().subList(1, m.args().size());
    return verdictStep(
        "mail", MilterProtocol.NR_MAIL, false, () -> filter.mailFrom(sender, args, macros));
  }

  private Future<Void> rcpt(MilterCommand.Rcpt r) {
    if (phase != Phase.ENVELOPE) {
      return outOfOrder(r, MilterProtocol.NR_RCPT);
    }
    message.recipients++;
    Macros macros = currentMacros();
    String recipient = stripBrackets(r.args().get(0));
    List<String> args = r.args().subList(1, r.args().size());
    return verdictStep(
        "rcpt", MilterProtocol.NR_RCPT, false, () -> filter.rcpt(recipient, args, macros));
  }

  private Future<Void> data() {
    if (phase != Phase.ENVELOPE) {
      return outOfOrder(new MilterCommand.Data(), MilterProtocol.NR_DATA);
    }
    return replyUnless(MilterProtocol.NR_DATA, new MilterReply.Continue());
  }

  private Future<Void> unknown() {
    return replyUnless(MilterProtocol.NR_UNKN, new MilterReply.Continue());
  }

  /**
   * With NOMAIL negotiated no MAIL starts a message: the first content event does. Without it, a
   * content event outside a message is out of order.
   */
  private void implicitStart() {
    if ((protocol & MilterProtocol.NOMAIL) != 0
        && (phase == Phase.CONNECTED || phase == Phase.DONE)) {
      if (message != null) {
        Map<String, String> keep = new LinkedHashMap<>(messageMacros);
        endMessage("aborted");
        messageMacros.putAll(keep);
      }
      message = new Message();
      phase = Phase.ENVELOPE;
    }
  }

  private Future<Void> header(MilterCommand.Header h) {
    implicitStart();
    if (phase != Phase.ENVELOPE && phase != Phase.HEADERS) {
      return outOfOrder(h, MilterProtocol.NR_HDR);
    }
    phase = Phase.HEADERS;
    message.headers++;
    message.headerBytes += h.name().length() + h.value().length();
    if (!message.failed
        && (message.headers > settings.maxHeaders()
            || message.headerBytes > settings.maxHeaderBytes())) {
      String limit = message.headers > settings.maxHeaders() ? "max-headers" : "max-header-bytes";
      metrics.limitExceeded(limit);
      fail(
          "limit "
              + limit
              + " exceeded ("
              + settings.maxHeaders()
              + " fields, "
              + settings.maxHeaderBytes()
              + " bytes)");
    }
    String value = h.value();
    if ((protocol & MilterProtocol.HDR_LEADSPC) == 0 && !value.isEmpty()) {
      // The MTA ate one space after the colon; give it back so the value is as received.
      value = " " + value;
    }
    String v = value;
    return voidStep("header", MilterProtocol.NR_HDR, () -> filter.header(h.name(), v));
  }

  private Future<Void> endOfHeaders() {
    implicitStart();
    if (phase != Phase.ENVELOPE && phase != Phase.HEADERS) {
      return outOfOrder(new MilterCommand.EndOfHeaders(), MilterProtocol.NR_EOH);
    }
    phase = Phase.BODY;
    Macros macros = currentMacros();
    return voidStep("eoh", MilterProtocol.NR_EOH, () -> filter.endOfHeaders(macros));
  }

  private Future<Void> body(byte[] chunk, int noReplyFlag, boolean reply) {
    implicitStart();
    if (phase != Phase.ENVELOPE && phase != Phase.HEADERS && phase != Phase.BODY) {
      return outOfOrder(new MilterCommand.Body(chunk), noReplyFlag);
    }
    phase = Phase.BODY;
    message.bodyBytes += chunk.length;
    ByteBuffer buffer = ByteBuffer.wrap(chunk).asReadOnlyBuffer();
    // A chunk carried by end-of-message itself gets no reply of its own.
    return voidStep("body", reply ? noReplyFlag : NEVER_REPLY, () -> filter.body(buffer));
  }

  private Future<Void> endOfMessage(MilterCommand.EndOfMessage e) {
    implicitStart();
    if (phase != Phase.ENVELOPE && phase != Phase.HEADERS && phase != Phase.BODY) {
      protocolWarning("protocol error: end-of-message in phase " + phase + "; answering continue");
      return write(new MilterReply.Continue());
    }
    Future<Void> lastChunk = Future.succeededFuture();
    if (e.chunk().length > 0) {
      lastChunk = body(e.chunk(), 0, false);
    }
    return lastChunk.compose(v -> finishMessage());
  }

  private Future<Void> finishMessage() {
    phase = Phase.DONE;
    Message msg = message;
    msg.endReached = true;
    if (msg.failed || msg.settled || connectionFailed || connectionSettled) {
      List<MilterReply> replies =
          List.of(msg.settled ? new MilterReply.Continue() : fallbackReply(true));
      logMessage(
          msg,
          msg.failed
              ? "error-" + settings.errorAction().name().toLowerCase(Locale.ROOT)
              : "continue",
          null,
          replies);
      return writeAll(replies);
    }
    Macros macros = currentMacros();
    long progressTimer =
        vertx.setPeriodic(
            settings.progressInterval().toMillis(),
            t -> {
              if (!closed) {
                write(new MilterReply.Progress());
              }
            });
    return call("eom", () -> filter.endOfMessage(macros))
        .map(
            decision -> {
              vertx.cancelTimer(progressTimer);
              if (decision == null) {
                List<MilterReply> replies = List.of(fallbackReply(true));
                logMessage(
                    msg,
                    "error-" + settings.errorAction().name().toLowerCase(Locale.ROOT),
                    null,
                    replies);
                return replies;
              }
              List<MilterReply> replies = repliesFor(decision);
              logMessage(msg, actionName(decision), decision, replies);
              return replies;
            })
        .compose(this::writeAll);
  }

  private List<MilterReply> repliesFor(Decision decision) {
    List<MilterReply> replies = new ArrayList<>();
    if (decision.delivers()) {
      boolean leadingSpace = (protocol & MilterProtocol.HDR_LEADSPC) != 0;
      List<HeaderChange> ordered = new ArrayList<>();
      decision.changes().stream()
          .filter(c -> c instanceof HeaderChange.Change || c instanceof HeaderChange.Delete)
          .sorted(
              Comparator.comparing((HeaderChange c) -> c.name().toLowerCase(Locale.ROOT))
                  .thenComparing(c -> -occurrence(c)))
          .forEach(ordered::add);
      decision.changes().stream()
          .filter(c -> c instanceof HeaderChange.Insert)
          .forEach(ordered::add);
      decision.changes().stream().filter(c -> c instanceof HeaderChange.Add).forEach(ordered::add);
      for (HeaderChange change : ordered) {
        MilterReply reply = modification(change, leadingSpace);
        if (reply != null) {
          replies.add(reply);
        }
      }
      if (decision.quarantine().isPresent()) {
        if ((actions & MilterProtocol.QUARANTINE) != 0) {
          replies.add(new MilterReply.Quarantine(decision.quarantine().get()));
        } else {
          LOG.warn(
              "session {}: quarantine asked but not negotiated with the MTA; delivering: {}",
              id,
              decision.quarantine().get());
        }
      }
    }
    replies.add(finalReply(decision.verdict(), true));
    return replies;
  }

  private static int occurrence(HeaderChange c) {
    if (c instanceof HeaderChange.Change ch) {
      return ch.occurrence();
    }
    return ((HeaderChange.Delete) c).occurrence();
  }

  private MilterReply modification(HeaderChange change, boolean leadingSpace) {
    String prefix = leadingSpace ? " " : "";
    if (change instanceof HeaderChange.Add a) {
      if ((actions & MilterProtocol.ADDHDRS) == 0) {
        return skipped(change, "ADDHDRS");
      }
      return new MilterReply.AddHeader(a.name(), prefix + a.value());
    } else if (change instanceof HeaderChange.Insert i) {
      if ((actions & MilterProtocol.ADDHDRS) == 0) {
        return skipped(change, "ADDHDRS");
      }
      if (mtaVersion < 3) {
        // INSHEADER came with version 3; older MTAs can only append.
        return new MilterReply.AddHeader(i.name(), prefix + i.value());
      }
      return new MilterReply.InsertHeader(i.index(), i.name(), prefix + i.value());
    } else if (change instanceof HeaderChange.Change c) {
      if ((actions & MilterProtocol.CHGHDRS) == 0) {
        return skipped(change, "CHGHDRS");
      }
      return new MilterReply.ChangeHeader(c.occurrence(), c.name(), prefix + c.value());
    } else {
      HeaderChange.Delete d = (HeaderChange.Delete) change;
      if ((actions & MilterProtocol.CHGHDRS) == 0) {
        return skipped(change, "CHGHDRS");
      }
      return new MilterReply.ChangeHeader(d.occurrence(), d.name(), "");
    }
  }

  private MilterReply skipped(HeaderChange change, String action) {
    LOG.warn("session {}: MTA did not grant {}; skipping {}", id, action, change);
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Steps

  /** A step whose verdict the MTA may wait for (connect, helo, mail, rcpt). */
  private Future<Void> verdictStep(
      String event,
      int noReplyFlag,
      boolean connectionLevel,
      Supplier<CompletionStage<Verdict>> call) {
    if (skipFilter()) {
      return replyUnless(noReplyFlag, new MilterReply.Continue());
    }
    return call(event, call)
        .compose(
            verdict -> {
              MilterReply reply;
              if (verdict == null) {
                if (connectionLevel) {
                  connectionFailed = true;
                }
                reply = fallbackReply(false);
              } else {
                reply = finalReply(verdict, false);
                settle(event, verdict, connectionLevel);
              }
              return replyUnless(noReplyFlag, reply);
            });
  }

  private void settle(String event, Verdict verdict, boolean connectionLevel) {
    Verdict.Action action = verdict.action();
    if (action == Verdict.Action.CONTINUE) {
      return;
    }
    if (connectionLevel) {
      connectionSettled = true;
      LOG.info(
          "session {}: client={} {} at {}: {}",
          id,
          client == null ? "-" : client.describe(),
          action.name().toLowerCase(Locale.ROOT),
          event,
          loggable(verdict.reason()));
      return;
    }
    if (event.equals("rcpt") && action == Verdict.Action.REJECT
        || event.equals("rcpt") && action == Verdict.Action.TEMPFAIL) {
      message.rejectedRecipients++;
      return;
    }
    message.settled = true;
    message.settledBy =
        action.name().toLowerCase(Locale.ROOT) + " at " + event + ": " + verdict.reason();
  }

  /** A step the MTA may or may not wait for, with no verdict (header, eoh, body). */
  private Future<Void> voidStep(
      String event, int noReplyFlag, Supplier<CompletionStage<Void>> call) {
    if (skipFilter()) {
      return replyUnless(noReplyFlag, new MilterReply.Continue());
    }
    return call(event, () -> call.get().thenApply(v -> Boolean.TRUE))
        .compose(v -> replyUnless(noReplyFlag, new MilterReply.Continue()));
  }

  private boolean skipFilter() {
    return filter == null
        || connectionFailed
        || connectionSettled
        || (message != null && (message.failed || message.settled));
  }

  /**
   * Calls the filter with the handler deadline. Completes with the result, or with null after a
   * failure (logged, counted, and recorded on the message): never fails.
   */
  private <T> Future<T> call(String event, Supplier<CompletionStage<T>> invocation) {
    long start = System.nanoTime();
    CompletionStage<T> stage;
    try {
      stage = invocation.get();
      if (stage == null) {
        throw new NullPointerException("the filter returned null instead of a stage");
      }
    } catch (RuntimeException e) {
      filterFailed(event, "error", e);
      return Future.succeededFuture(null);
    }
    Promise<T> promise = Promise.promise();
    long deadline = settings.handlerDeadline().toMillis();
    long timer =
        vertx.setTimer(
            deadline,
            t ->
                promise.tryFail(
                    new TimeoutException(
                        "no answer within the handler deadline of " + deadline + " ms")));
    Future.fromCompletionStage(stage, context)
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              if (ar.succeeded()) {
                promise.tryComplete(ar.result());
              } else {
                promise.tryFail(ar.cause());
              }
            });
    return promise
        .future()
        .map(
            result -> {
              record(event, start);
              if (result == null) {
                filterFailed(event, "error", new NullPointerException("the filter answered null"));
              }
              return result;
            })
        .recover(
            t -> {
              record(event, start);
              filterFailed(event, t instanceof TimeoutException ? "timeout" : "error", t);
              return Future.succeededFuture(null);
            });
  }

  private void record(String event, long start) {
    long took = System.nanoTime() - start;
    metrics.handler(event, Duration.ofNanos(took));
    if (message != null) {
      message.filterNanos += took;
    }
  }

  private void filterFailed(String event, String kind, Throwable t) {
    metrics.filterFailure(kind);
    String why = kind + " in " + event + ": " + t;
    if (kind.equals("timeout")) {
      LOG.warn("session {}: filter {}; applying {}", id, why, settings.errorAction());
    } else {
      LOG.warn("session {}: filter {}; applying {}", id, why, settings.errorAction(), t);
    }
    fail(why);
  }

  private void fail(String why) {
    if (message != null && !message.endReached) {
      if (!message.failed) {
        message.failed = true;
        message.failure = why;
      }
    } else if (message == null) {
      connectionFailed = true;
    }
  }

  private Future<Void> outOfOrder(MilterCommand command, int noReplyFlag) {
    protocolWarning(
        "protocol error: "
            + command.getClass().getSimpleName()
            + " in phase "
            + phase
            + ";"
            + " ignored, answering continue");
    return replyUnless(noReplyFlag, new MilterReply.Continue());
  }

  /**
   * Counts a command out of order and logs it, the first {@link #MAX_LOGGED_PROTOCOL_WARNINGS} of a
   * session only: a peer that repeats one mistake cannot flood the log.
   */
  private void protocolWarning(String what) {
    metrics.protocolError();
    protocolWarnings++;
    if (protocolWarnings <= MAX_LOGGED_PROTOCOL_WARNINGS) {
      LOG.warn("session {}: {}", id, what);
    } else if (protocolWarnings == MAX_LOGGED_PROTOCOL_WARNINGS + 1) {
      LOG.warn(
          "session {}: more than {} protocol errors; the rest of this session's are counted"
              + " (authmill_milter_protocol_errors_total), not logged",
          id,
          MAX_LOGGED_PROTOCOL_WARNINGS);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Replies

  private MilterReply fallbackReply(boolean endOfMessage) {
    return settings.errorAction() == MilterSettings.ErrorAction.TEMPFAIL
        ? new MilterReply.Tempfail()
        : new MilterReply.Continue();
  }

  private MilterReply finalReply(Verdict verdict, boolean endOfMessage) {
    switch (verdict.action()) {
      case ACCEPT:
        return new MilterReply.Accept();
      case REJECT:
        return verdict
            .reply()
            .<MilterReply>map(r -> new MilterReply.ReplyCode(escapePercent(r)))
            .orElse(new MilterReply.Reject());
      case TEMPFAIL:
        return verdict
            .reply()
            .<MilterReply>map(r -> new MilterReply.ReplyCode(escapePercent(r)))
            .orElse(new MilterReply.Tempfail());
      case DISCARD:
        if (phase == Phase.CONNECTED || phase == Phase.READY) {
          LOG.warn("session {}: discard is for messages only; answering continue", id);
          return new MilterReply.Continue();
        }
        return new MilterReply.Discard();
      default:
        return new MilterReply.Continue();
    }
  }

  /** The MTA reads the reply text as a format string: a literal {@code %} is doubled. */
  private static String escapePercent(SmtpReply reply) {
    String text = reply.toString();
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return new String(utf8, StandardCharsets.ISO_8859_1).replace("%", "%%");
  }

  private Future<Void> replyUnless(int noReplyFlag, MilterReply reply) {
    if (noReplyFlag == NEVER_REPLY || (protocol & noReplyFlag) != 0) {
      return Future.succeededFuture();
    }
    return write(reply);
  }

  private Future<Void> write(MilterReply reply) {
    if (closed) {
      return Future.succeededFuture();
    }
    socket.write(MilterCodec.encode(reply));
    lastActivityNanos = System.nanoTime();
    if (!writeBlocked && socket.writeQueueFull()) {
      writeQueueFull();
    }
    return Future.succeededFuture();
  }

  private Future<Void> writeAll(List<MilterReply> replies) {
    for (MilterReply r : replies) {
      write(r);
    }
    return Future.succeededFuture();
  }

  // ---------------------------------------------------------------------------------------------
  // Message and connection ends

  private void endMessage(String outcome) {
    Message msg = message;
    if (msg != null) {
      if (!msg.endReached) {
        if (filter != null && !connectionFailed) {
          try {
            filter.abort();
          } catch (RuntimeException e) {
            LOG.warn("session {}: filter abort failed: {}", id, e.toString());
          }
        }
        logMessage(msg, msg.settled ? "settled" : outcome, null, List.of());
      } else if (msg.failed && filter != null) {
        try {
          filter.abort();
        } catch (RuntimeException e) {
          LOG.warn("session {}: filter abort failed: {}", id, e.toString());
        }
      }
    }
    message = null;
    messageMacros.clear();
  }

  private void endConnection() {
    endMessage("aborted");
    if (filter != null) {
      try {
        filter.close();
      } catch (RuntimeException e) {
        LOG.warn("session {}: filter close failed: {}", id, e.toString());
      }
    }
    filter = null;
    client = null;
    helo = "";
    connectionFailed = false;
    connectionSettled = false;
    connectionMacros.clear();
    phase = Phase.READY;
  }

  private static String actionName(Decision d) {
    if (d.delivers() && d.quarantine().isPresent()) {
      return "quarantine";
    }
    return d.verdict().action().name().toLowerCase(Locale.ROOT);
  }

  private void logMessage(
      Message msg, String action, Decision decision, List<MilterReply> replies) {
    metrics.message(
        msg.settled && decision == null && !action.startsWith("error") ? "settled" : action);
    if (!MESSAGES.isInfoEnabled()) {
      return;
    }
    StringBuilder line = new StringBuilder();
    field(line, "queue_id", messageMacros.getOrDefault("i", "-"));
    field(line, "client", client == null ? "-" : client.describe());
    field(line, "helo", helo.isEmpty() ? "-" : helo);
    // Events negotiated away (NOMAIL, NORCPT) leave the envelope unknown: shown as "-".
    field(line, "from", (protocol & MilterProtocol.NOMAIL) != 0 ? "-" : "<" + msg.sender + ">");
    field(
        line,
        "rcpts",
        (protocol & MilterProtocol.NORCPT) != 0 ? "-" : Integer.toString(msg.recipients));
    if (msg.rejectedRecipients > 0) {
      field(line, "rcpts_rejected", Integer.toString(msg.rejectedRecipients));
    }
    field(line, "headers", Integer.toString(msg.headers));
    field(line, "body_bytes", Long.toString(msg.bodyBytes));
    field(line, "action", action);
    if (decision != null) {
      if (!decision.verdict().reason().isEmpty()) {
        field(line, "reason", decision.verdict().reason());
      }
      decision.verdict().reply().ifPresent(r -> field(line, "reply", r.toString()));
      decision.quarantine().ifPresent(q -> field(line, "quarantine", q));
      long changes =
          replies.stream()
              .filter(r -> !r.isFinal() && !(r instanceof MilterReply.Quarantine))
              .count();
      field(line, "changes", Long.toString(changes));
      decision.details().forEach((k, v) -> field(line, k, v));
    }
    if (msg.failed) {
      field(line, "failure", msg.failure);
    }
    if (msg.settled) {
      field(line, "settled", msg.settledBy);
    }
    field(line, "ms", Long.toString((System.nanoTime() - msg.startNanos) / 1_000_000));
    field(line, "filter_ms", Long.toString(msg.filterNanos / 1_000_000));
    MESSAGES.info(line.substring(1));
  }

  /**
   * Appends {@code key=value}, quoted when the value holds white space, a quote or '='. Control
   * characters (CR, LF, ESC...) are written as {@code \\n} or {@code \\xNN}: text from a message or
   * the DNS can neither start a new log line nor reach the operator's terminal raw.
   */
  static void field(StringBuilder line, String key, String value) {
    line.append(' ').append(key).append('=');
    boolean quote =
        value.isEmpty()
            || value
                .chars()
                .anyMatch(c -> c <= ' ' || c == '"' || c == '=' || c >= 0x7F && c <= 0x9F);
    if (!quote) {
      line.append(value);
      return;
    }
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '"') {
        line.append('\\').append(c);
      } else if (c == '\n') {
        line.append("\\n");
      } else if (c < 0x20 && c != ' ' || c == 0x7F || c >= 0x80 && c <= 0x9F) {
        line.append(String.format("\\x%02X", (int) c));
      } else {
        line.append(c);
      }
    }
    line.append('"');
  }

  /** The text with control characters written as {@code \\xNN}, for a log line. */
  static String loggable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || c >= 0x7F && c <= 0x9F;
      if (control && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (control) {
          out.append(String.format("\\x%02X", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String stripBrackets(String address) {
    String a = address.trim();
    if (a.startsWith("<") && a.endsWith(">")) {
      return a.substring(1, a.length() - 1);
    }
    return a;
  }
}
