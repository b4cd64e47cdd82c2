package org.authmill.milter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One milter connection: a state machine over the MTA's commands that calls one {@link MailFilter}
 * and answers strictly in order.
 *
 * <p>Its parts: {@link SessionTransport} (framing, queue, back-pressure, stalled peers), {@link
 * Negotiation}, {@link FilterCalls} (the filter with its deadline), {@link ReplyMapping} (answers
 * to replies) and {@link MessageLog} (the line per message); this class dispatches the commands and
 * keeps the connection's and the message's state.
 *
 * <p>Replies go out only for events the negotiated flags say the MTA waits for: never for D, A, Q,
 * K, nor for events under a negotiated {@code NR_*}. Modifications go out only in reply to
 * end-of-message. A filter that throws, fails or misses {@link MilterSettings#handlerDeadline()}
 * yields {@link MilterSettings#errorAction()} for its message, with a log line. A command out of
 * order is answered continue and logged; anything before negotiation closes the connection.
 */
final class MilterSession {
  private static final Logger LOG = LoggerFactory.getLogger(MilterSession.class);

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
  private final MilterSettings settings;
  private final MailFilterFactory factory;
  private final Logger messageLog;
  private final MilterMetrics metrics;
  private final Runnable onClose;
  private final String id;
  private final SessionTransport transport;
  private final FilterCalls calls;

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

  private MessageState message;

  /**
   * A session on an accepted socket; call {@link #start()} to begin reading.
   *
   * @param onClose called once when the connection is gone
   */
  MilterSession(
      Vertx vertx,
      NetSocket socket,
      MilterSettings settings,
      MailFilterFactory factory,
      Logger messageLog,
      MilterMetrics metrics,
      Runnable onClose) {
    this.vertx = vertx;
    this.settings = settings;
    this.factory = factory;
    this.messageLog = messageLog;
    this.metrics = metrics;
    this.onClose = onClose;
    this.id = Integer.toHexString(System.identityHashCode(this));
    this.transport = new SessionTransport(vertx, socket, settings, metrics, id);
    this.calls =
        new FilterCalls(
            vertx,
            transport.context(),
            settings,
            metrics,
            id,
            nanos -> {
              if (message != null) {
                message.filterNanos += nanos;
              }
            },
            this::fail);
  }

  /** Begins reading packets. */
  void start() {
    metrics.sessionOpened();
    transport.start(this::handle, this::closed);
  }

  /** True once the connection is closed. */
  boolean isClosed() {
    return transport.isClosed();
  }

  /**
   * Closes the connection now (shutdown after the grace period), replies in flight or not. Safe to
   * call from any thread: the session's own event loop does it.
   */
  void close() {
    transport.close();
  }

  private void closed() {
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
    if (LOG.isTraceEnabled()) {
      LOG.trace("session {}: {} in phase {}", id, command, phase);
    }
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
      transport.end();
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
    Negotiation n =
        Negotiation.answer(
            offer,
            factory.events(),
            factory.decisions(),
            factory.quarantines(),
            settings.requestMacros());
    mtaVersion = n.version();
    actions = n.actions();
    protocol = n.protocol();
    if (!n.complete()) {
      LOG.info(
          "session {}: MTA (milter v{}) offers less than wanted: actions 0x{} of 0x{},"
              + " protocol 0x{} of 0x{}; going on with what it offers",
          id,
          offer.version(),
          Integer.toHexString(actions),
          Integer.toHexString(n.wantedActions()),
          Integer.toHexString(protocol),
          Integer.toHexString(n.wantedProtocol()));
    }
    phase = Phase.READY;
    return write(n.reply());
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
      calls.factoryFailed();
      connectionFailed = true;
      return replyUnless(MilterProtocol.NR_CONN, fallbackReply());
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
    message = new MessageState();
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
      message = new MessageState();
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
    MessageState msg = message;
    msg.endReached = true;
    if (msg.failed || msg.settled || connectionFailed || connectionSettled) {
      List<MilterReply> replies =
          List.of(msg.settled ? new MilterReply.Continue() : fallbackReply());
      logMessage(
          msg,
          msg.failed ? MessageLog.errorAction(settings.errorAction()) : "continue",
          null,
          replies);
      return writeAll(replies);
    }
    Macros macros = currentMacros();
    long progressTimer =
        vertx.setPeriodic(
            settings.progressInterval().toMillis(),
            t -> {
              if (!transport.isClosed()) {
                write(new MilterReply.Progress());
              }
            });
    return calls
        .call("eom", () -> filter.endOfMessage(macros))
        .map(
            decision -> {
              vertx.cancelTimer(progressTimer);
              if (decision == null) {
                List<MilterReply> replies = List.of(fallbackReply());
                logMessage(msg, MessageLog.errorAction(settings.errorAction()), null, replies);
                return replies;
              }
              List<MilterReply> replies =
                  warned(ReplyMapping.decision(decision, mtaVersion, actions, protocol));
              logMessage(msg, MessageLog.actionName(decision), decision, replies);
              return replies;
            })
        .compose(this::writeAll);
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
    return calls
        .call(event, call)
        .compose(
            verdict -> {
              MilterReply reply;
              if (verdict == null) {
                if (connectionLevel) {
                  connectionFailed = true;
                }
                reply = fallbackReply();
              } else {
                reply = warned(ReplyMapping.verdict(verdict, !connectionLevel)).get(0);
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
          MessageLog.loggable(verdict.reason()));
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
    return calls
        .call(event, () -> call.get().thenApply(v -> Boolean.TRUE))
        .compose(v -> replyUnless(noReplyFlag, new MilterReply.Continue()));
  }

  private boolean skipFilter() {
    return filter == null
        || connectionFailed
        || connectionSettled
        || (message != null && (message.failed || message.settled));
  }

  /** Records a failure: on the message before its end, else on the connection. */
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

  private MilterReply fallbackReply() {
    return ReplyMapping.fallback(settings.errorAction());
  }

  /** The mapped replies, after logging its warnings. */
  private List<MilterReply> warned(ReplyMapping.Mapped mapped) {
    mapped.warnings().forEach(w -> LOG.warn("session {}: {}", id, w));
    return mapped.replies();
  }

  private Future<Void> replyUnless(int noReplyFlag, MilterReply reply) {
    if (noReplyFlag == NEVER_REPLY || (protocol & noReplyFlag) != 0) {
      return Future.succeededFuture();
    }
    return write(reply);
  }

  private Future<Void> write(MilterReply reply) {
    transport.write(reply);
    return Future.succeededFuture();
  }

  private Future<Void> writeAll(List<MilterReply> replies) {
    for (MilterReply r : replies) {
      transport.write(r);
    }
    return Future.succeededFuture();
  }

  // ---------------------------------------------------------------------------------------------
  // Message and connection ends

  private void endMessage(String outcome) {
    MessageState msg = message;
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

  private void logMessage(
      MessageState msg, String action, Decision decision, List<MilterReply> replies) {
    metrics.message(
        msg.settled && decision == null && !action.startsWith("error") ? "settled" : action);
    if (!messageLog.isInfoEnabled()) {
      return;
    }
    messageLog.info(
        MessageLog.line(
            msg,
            messageMacros.getOrDefault("i", "-"),
            client,
            helo,
            protocol,
            action,
            decision,
            replies,
            System.nanoTime()));
  }

  private static String stripBrackets(String address) {
    String a = address.trim();
    if (a.startsWith("<") && a.endsWith(">")) {
      return a.substring(1, a.length() - 1);
    }
    return a;
  }
}
