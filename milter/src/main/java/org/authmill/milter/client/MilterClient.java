package org.authmill.milter.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.authmill.milter.MilterCodec;
import org.authmill.milter.MilterCommand;
import org.authmill.milter.MilterProtocol;
import org.authmill.milter.MilterProtocolException;
import org.authmill.milter.MilterReply;
import org.authmill.milter.MilterSettings;

/**
 * One milter connection driven the way Postfix 3.7 drives it (see the package description). Each
 * event method sends the stage's macros ({@code D}, possibly empty) and the event, unless the
 * filter negotiated the event away, and completes with the filter's reply, or with an empty
 * Optional when no reply is due (an {@code NR_*} flag) or the event was not sent (a {@code NO*}
 * flag). Events may be issued back to back; replies are matched to events in order.
 *
 * <p>Every call runs on the connection's Vert.x context, in the order made: calls from another
 * thread are handed to that context, so a test thread may drive the client directly.
 */
public final class MilterClient {
  /** Postfix's {@code milter_command_timeout}. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  /** Postfix's {@code milter_content_timeout}, for message content and end-of-message. */
  public static final Duration CONTENT_TIMEOUT = Duration.ofSeconds(300);

  private final Vertx vertx;

  /**
   * The client the socket came from, held for as long as the connection lives: Vert.x closes a
   * NetClient that becomes unreachable, and with it this connection.
   */
  private final NetClient net;

  private final io.vertx.core.Context context;
  private final NetSocket socket;
  private final Map<String, String> connectMacros;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final List<String> protocolErrors = new ArrayList<>();
  private MilterReply.Negotiate negotiated;
  private boolean closed;
  private Throwable failure;
  private int progressSeen;

  private static final class Pending {
    final Promise<List<MilterReply>> promise = Promise.promise();
    final List<MilterReply> collected = new ArrayList<>();
    final long timeoutMillis;
    long timer = -1;
    int progress;

    Pending(long timeoutMillis) {
      this.timeoutMillis = timeoutMillis;
    }
  }

  private MilterClient(
      Vertx vertx, NetClient net, NetSocket socket, Map<String, String> connectMacros) {
    this.vertx = vertx;
    this.net = net;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.connectMacros = connectMacros;
  }

  /** Runs the call on the connection's context, in the order calls are made. */
  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> call) {
    if (io.vertx.core.Vertx.currentContext() == context) {
      return call.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            call.get().onComplete(promise);
          } catch (RuntimeException e) {
            promise.fail(e);
          }
        });
    return promise.future();
  }

  /**
   * Connects and negotiates as Postfix does: version 6, actions 0x1FF, protocol 0x1FFFFF.
   *
   * @param connectMacros the CONNECT-stage macros, Postfix's are {@code j {daemon_name}
   *     {daemon_addr} v _} (see {@link #postfixConnectMacros})
   */
  public static Future<MilterClient> connect(
      Vertx vertx, SocketAddress address, Map<String, String> connectMacros) {
    return connect(
        vertx,
        address,
        connectMacros,
        MilterProtocol.VERSION,
        MilterProtocol.ALL_ACTIONS,
        MilterProtocol.ALL_PROTOCOL);
  }

  /** Connects and negotiates with a different offer (an older Postfix, or Sendmail). */
  public static Future<MilterClient> connect(
      Vertx vertx,
      SocketAddress address,
      Map<String, String> connectMacros,
      int version,
      int actions,
      int protocol) {
    NetClient net =
        vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(30_000));
    return net.connect(address)
        .onFailure(e -> net.close())
        .compose(
            socket -> {
              MilterClient client =
                  new MilterClient(vertx, net, socket, new LinkedHashMap<>(connectMacros));
              client.start();
              return client
                  .request(
                      new MilterCommand.Negotiate(version, actions, protocol),
                      COMMAND_TIMEOUT,
                      false)
                  .map(
                      replies -> {
                        MilterReply last = replies.get(replies.size() - 1);
                        if (!(last instanceof MilterReply.Negotiate n)) {
                          throw new MilterProtocolException(
                              "expected a negotiation reply, got " + last);
                        }
                        if (n.version() > version
                            || (n.actions() & ~actions) != 0
                            || (n.protocol() & ~protocol) != 0) {
                          client.protocolErrors.add("filter asked for more than offered: " + n);
                        }
                        client.negotiated = n;
                        return client;
                      });
            });
  }

  /**
   * The CONNECT-stage macros Postfix 3.7 sends by default: {@code j}, {@code {daemon_name}}, {@code
   * {daemon_addr}}, {@code v} and {@code _}.
   */
  public static Map<String, String> postfixConnectMacros(
      String myhostname, String daemonName, String clientName, String clientAddress) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("j", myhostname);
    m.put("{daemon_name}", daemonName);
    m.put("{daemon_addr}", "127.0.0.1");
    m.put("v", "Postfix 3.7.11");
    m.put("_", clientName + " [" + clientAddress + "]");
    return m;
  }

  private void start() {
    MilterCodec codec = new MilterCodec(MilterSettings.DEFAULT_PACKET_SIZE);
    socket.handler(
        codec.reader(
            this::onFrame,
            e -> {
              failAll(e);
              socket.close();
            }));
    socket.closeHandler(
        v -> {
          closed = true;
          failAll(new IllegalStateException("the filter closed the connection"));
          net.close();
        });
  }

  private void onFrame(Buffer frame) {
    MilterReply reply;
    try {
      reply = MilterCodec.decodeReply(frame);
    } catch (MilterProtocolException e) {
      protocolErrors.add(e.getMessage());
      failAll(e);
      socket.close();
      return;
    }
    Pending head = pending.peek();
    if (head == null) {
      protocolErrors.add("reply " + reply + " when none was due");
      return;
    }
    if (reply instanceof MilterReply.Progress) {
      head.progress++;
      progressSeen++;
      arm(head);
      return;
    }
    head.collected.add(reply);
    if (reply.isFinal() || reply instanceof MilterReply.Negotiate) {
      pending.poll();
      vertx.cancelTimer(head.timer);
      head.promise.tryComplete(head.collected);
      if (!pending.isEmpty()) {
        arm(pending.peek());
      }
    }
  }

  private void arm(Pending p) {
    if (p.timer >= 0) {
      vertx.cancelTimer(p.timer);
    }
    p.timer =
        vertx.setTimer(
            p.timeoutMillis,
            t -> {
              TimeoutException e =
                  new TimeoutException(
                      "no reply from the filter within " + p.timeoutMillis + " ms");
              failAll(e);
              socket.close();
            });
  }

  private void failAll(Throwable t) {
    if (failure == null) {
      failure = t;
    }
    Pending p;
    while ((p = pending.poll()) != null) {
      vertx.cancelTimer(p.timer);
      p.promise.tryFail(t);
    }
  }

  private Future<List<MilterReply>> request(
      MilterCommand command, Duration timeout, boolean noReply) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (closed) {
      return Future.failedFuture(new IllegalStateException("connection closed"));
    }
    socket.write(MilterCodec.encode(command));
    if (noReply) {
      return Future.succeededFuture(List.of());
    }
    Pending p = new Pending(timeout.toMillis());
    pending.add(p);
    if (pending.size() == 1) {
      arm(p);
    }
    return p.promise.future();
  }

  private void send(MilterCommand command) {
    if (!closed && failure == null) {
      socket.write(MilterCodec.encode(command));
    }
  }

  /** What the filter negotiated. */
  public MilterReply.Negotiate negotiated() {
    return negotiated;
  }

  /** Replies that came when none was due, and similar breaches seen so far. */
  public List<String> protocolErrors() {
    return List.copyOf(protocolErrors);
  }

  private boolean skips(int noFlag) {
    return (negotiated.protocol() & noFlag) != 0;
  }

  private Future<Optional<MilterReply>> event(
      char stage, Map<String, String> macros, MilterCommand command, int noFlag, int noReplyFlag) {
    return onContext(() -> eventHere(stage, macros, command, noFlag, noReplyFlag));
  }

  private Future<Optional<MilterReply>> eventHere(
      char stage, Map<String, String> macros, MilterCommand command, int noFlag, int noReplyFlag) {
    if (noFlag != 0 && skips(noFlag)) {
      return Future.succeededFuture(Optional.empty());
    }
    send(new MilterCommand.Macros(stage, macros));
    boolean noReply = noReplyFlag != 0 && skips(noReplyFlag);
    Duration timeout = "LNBE".indexOf(stage) >= 0 ? CONTENT_TIMEOUT : COMMAND_TIMEOUT;
    return request(command, timeout, noReply)
        .map(r -> r.isEmpty() ? Optional.empty() : Optional.of(r.get(r.size() - 1)));
  }

  /** CONNECT for an IP client, with the macros given to {@link #connect}. */
  public Future<Optional<MilterReply>> connectEvent(
      String hostname, InetAddress address, int port) {
    MilterCommand.Family family =
        address instanceof Inet6Address ? MilterCommand.Family.INET6 : MilterCommand.Family.INET;
    return event(
        'C',
        connectMacros,
        new MilterCommand.Connect(hostname, family, port, address.getHostAddress()),
        MilterProtocol.NOCONNECT,
        MilterProtocol.NR_CONN);
  }

  /** CONNECT as Postfix sends it for mail from its {@code sendmail} command (family unknown). */
  public Future<Optional<MilterReply>> connectLocal(String hostname) {
    return event(
        'C',
        connectMacros,
        new MilterCommand.Connect(hostname, MilterCommand.Family.UNKNOWN, 0, ""),
        MilterProtocol.NOCONNECT,
        MilterProtocol.NR_CONN);
  }

  /** HELO or EHLO (Postfix's HELO macros are TLS ones: usually none, so an empty {@code D}). */
  public Future<Optional<MilterReply>> helo(String name, Map<String, String> macros) {
    return event(
        'H', macros, new MilterCommand.Helo(name), MilterProtocol.NOHELO, MilterProtocol.NR_HELO);
  }

  /** MAIL FROM with its arguments, the address in brackets first. */
  public Future<Optional<MilterReply>> mail(List<String> args, Map<String, String> macros) {
    return event(
        'M', macros, new MilterCommand.Mail(args), MilterProtocol.NOMAIL, MilterProtocol.NR_MAIL);
  }

  /** RCPT TO with its arguments. */
  public Future<Optional<MilterReply>> rcpt(List<String> args, Map<String, String> macros) {
    return event(
        'R', macros, new MilterCommand.Rcpt(args), MilterProtocol.NORCPT, MilterProtocol.NR_RCPT);
  }

  /** DATA. */
  public Future<Optional<MilterReply>> data(Map<String, String> macros) {
    return event(
        'T', macros, new MilterCommand.Data(), MilterProtocol.NODATA, MilterProtocol.NR_DATA);
  }

  /**
   * One header field; the value as the message holds it after the colon: without HDR_LEADSPC
   * negotiated, one leading space is removed, as Postfix does.
   */
  public Future<Optional<MilterReply>> header(
      String name, String value, Map<String, String> macros) {
    String v = value;
    if ((negotiated.protocol() & MilterProtocol.HDR_LEADSPC) == 0 && v.startsWith(" ")) {
      v = v.substring(1);
    }
    return event(
        'L',
        macros,
        new MilterCommand.Header(name, v),
        MilterProtocol.NOHDRS,
        MilterProtocol.NR_HDR);
  }

  /** End of headers. */
  public Future<Optional<MilterReply>> endOfHeaders(Map<String, String> macros) {
    return event(
        'N', macros, new MilterCommand.EndOfHeaders(), MilterProtocol.NOEOH, MilterProtocol.NR_EOH);
  }

  /** One body chunk, as given (at most 65535 bytes). */
  public Future<Optional<MilterReply>> body(byte[] chunk, Map<String, String> macros) {
    if (chunk.length > MilterProtocol.MAX_BODY_CHUNK) {
      throw new IllegalArgumentException("body chunk over 65535 bytes: " + chunk.length);
    }
    return event(
        'B', macros, new MilterCommand.Body(chunk), MilterProtocol.NOBODY, MilterProtocol.NR_BODY);
  }

  /**
   * End of message: completes with the modifications, any quarantine and the final reply, as a
   * {@link MilterResult}.
   */
  public Future<MilterResult> endOfMessage(Map<String, String> macros) {
    return onContext(() -> endOfMessageHere(macros));
  }

  private Future<MilterResult> endOfMessageHere(Map<String, String> macros) {
    send(new MilterCommand.Macros('E', macros));
    int before = progressSeen;
    return request(new MilterCommand.EndOfMessage(new byte[0]), CONTENT_TIMEOUT, false)
        .map(replies -> result("eom", replies, progressSeen - before));
  }

  private static MilterResult result(String stage, List<MilterReply> replies, int progress) {
    MilterReply last = replies.get(replies.size() - 1);
    List<MilterReply> mods = new ArrayList<>();
    Optional<String> quarantine = Optional.empty();
    for (MilterReply r : replies.subList(0, replies.size() - 1)) {
      if (r instanceof MilterReply.Quarantine q) {
        quarantine = Optional.of(q.reason());
      } else {
        mods.add(r);
      }
    }
    return new MilterResult(stage, last, mods, quarantine, progress);
  }

  /** ABORT: the transaction is over (Postfix sends it after every one). No reply. */
  public void abort() {
    onContext(
        () -> {
          send(new MilterCommand.Abort());
          return Future.succeededFuture();
        });
  }

  /**
   * QUIT_NC, as Sendmail sends it: the SMTP session is over but this socket carries on with a new
   * CONNECT (Postfix never sends it). No reply.
   */
  public void quitNewConnection() {
    onContext(
        () -> {
          send(new MilterCommand.QuitNewConnection());
          return Future.succeededFuture();
        });
  }

  /** QUIT, then close. */
  public Future<Void> quit() {
    return onContext(
        () -> {
          send(new MilterCommand.Quit());
          closed = true;
          return socket.close();
        });
  }

  /** Closes without QUIT, as a crashing MTA would. */
  public Future<Void> close() {
    return onContext(
        () -> {
          closed = true;
          return socket.close();
        });
  }

  /**
   * A whole transaction as Postfix runs it: MAIL, each RCPT (a rejected recipient is dropped; none
   * left ends the transaction), the headers (a {@code D} packet before each), end of headers, the
   * body in chunks, end of message, then ABORT. Completes with the reply that ended the
   * transaction.
   */
  public Future<MilterResult> send(MilterTransaction tx) {
    return onContext(() -> sendHere(tx));
  }

  private Future<MilterResult> sendHere(MilterTransaction tx) {
    Map<String, String> mailMacros = new LinkedHashMap<>(tx.mailMacros());
    mailMacros.put("{mail_addr}", tx.sender());
    Map<String, String> withId = Map.of("i", tx.queueId());
    return mail(List.of("<" + tx.sender() + ">"), mailMacros)
        .compose(
            r -> {
              if (ends(r)) {
                return done("mail", r.get());
              }
              return recipients(tx, 0, 0, withId);
            });
  }

  private Future<MilterResult> recipients(
      MilterTransaction tx, int index, int accepted, Map<String, String> withId) {
    if (index == tx.recipients().size()) {
      if (accepted == 0) {
        return done("rcpt", new MilterReply.Reject());
      }
      return content(tx, withId);
    }
    String rcpt = tx.recipients().get(index);
    // Postfix opens the queue file after the first accepted recipient
    // (smtpd_delay_open_until_valid_rcpt): the first RCPT has no queue id yet.
    Map<String, String> macros = new LinkedHashMap<>(accepted > 0 ? withId : Map.of());
    macros.put("{rcpt_addr}", rcpt);
    macros.put("{rcpt_mailer}", "smtp");
    return rcpt(List.of("<" + rcpt + ">"), macros)
        .compose(
            r -> {
              if (r.isPresent()
                  && (r.get() instanceof MilterReply.Reject
                      || r.get() instanceof MilterReply.Tempfail
                      || r.get() instanceof MilterReply.ReplyCode)) {
                return recipients(tx, index + 1, accepted, withId);
              }
              if (ends(r)) {
                return done("rcpt", r.get());
              }
              return recipients(tx, index + 1, accepted + 1, withId);
            });
  }

  private Future<MilterResult> content(MilterTransaction tx, Map<String, String> withId) {
    List<Future<Optional<MilterReply>>> early = new ArrayList<>();
    early.add(data(withId));
    for (MilterMessage.Field f : tx.message().headers()) {
      early.add(header(f.name(), f.value(), withId));
    }
    early.add(endOfHeaders(withId));
    byte[] body = tx.message().body();
    for (int off = 0; off < body.length; off += tx.chunkSize()) {
      early.add(
          body(Arrays.copyOfRange(body, off, Math.min(body.length, off + tx.chunkSize())), withId));
    }
    // Replies that are due come in order; with NR_* flags none come and Postfix streams on.
    Future<MilterResult> eom = endOfMessage(withId);
    return Future.all(early)
        .compose(
            all -> {
              for (Future<Optional<MilterReply>> f : early) {
                Optional<MilterReply> r = f.result();
                if (ends(r)) {
                  return eom.otherwiseEmpty().compose(x -> done("content", r.get()));
                }
              }
              return eom.map(
                  res -> {
                    abort();
                    return res;
                  });
            });
  }

  private Future<MilterResult> done(String stage, MilterReply reply) {
    abort();
    return Future.succeededFuture(new MilterResult(stage, reply, List.of(), Optional.empty(), 0));
  }

  private static boolean ends(Optional<MilterReply> r) {
    return r.isPresent() && !(r.get() instanceof MilterReply.Continue);
  }
}
