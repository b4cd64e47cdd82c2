package org.authmill.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.authmill.milter.MilterProtocol;
import org.authmill.milter.MilterReply;
import org.authmill.milter.client.MilterClient;
import org.authmill.milter.client.MilterMessage;
import org.authmill.milter.client.MilterResult;

/**
 * The milter load generator: drives a milter (authmill, OpenDKIM) as Postfix's {@code milter8.c}
 * does, over {@code connections} concurrent connections, until {@code messages} messages are
 * through, and measures messages/s and latency percentiles.
 *
 * <p>Each connection negotiates version 6 with every action and protocol flag offered ({@link
 * MilterClient}), sends CONNECT and HELO with Postfix's macros, then per message MAIL, RCPT, DATA,
 * each header field, end of headers, the body in chunks of at most 65,535 octets, end of message
 * and ABORT. Like Postfix it sends the next event only after the reply to the previous one, unless
 * the filter negotiated that event's reply away ({@code NR_*}) or the event itself ({@code NO*}): a
 * filter that asks for fewer replies saves round trips, as it would behind Postfix. After {@code
 * messagesPerConnection} messages a connection QUITs and a new one is opened (Postfix opens one
 * milter connection per SMTP session; {@code smtp-source} sends one message per session).
 *
 * <p>Two modes. <b>Saturation</b> ({@code rate == 0}): every connection starts its next message as
 * soon as the last one is answered; a message's latency runs from its start (including a new
 * connection's setup) to the end-of-message reply. <b>Fixed offered rate</b> (open loop): message i
 * is due at {@code t0 + i/rate} whether or not the filter keeps up; a free connection takes the
 * oldest due message, and its latency runs from the time it was due, so that waiting for a free
 * connection counts (no coordinated omission).
 *
 * <p>Everything runs on one Vert.x event loop of the calling {@link Vertx}.
 */
public final class MilterLoad {
  /** Postfix's default milter macros at CONNECT, as its smtpd sends them. */
  private static final Map<String, String> CONNECT_MACROS =
      MilterClient.postfixConnectMacros(
          BenchDomain.AUTHSERV_ID, "smtpd", BenchDomain.CLIENT_NAME, BenchDomain.CLIENT_ADDRESS);

  /**
   * What to run.
   *
   * @param name what the target is, for the result ("authmill", "opendkim")
   * @param target the milter's address
   * @param connections concurrent connections
   * @param messages messages to send
   * @param rate the offered rate in messages/s, or 0 for saturation
   * @param messagesPerConnection messages before a connection is closed and a new one opened
   */
  public record Settings(
      String name,
      SocketAddress target,
      int connections,
      int messages,
      double rate,
      int messagesPerConnection) {
    /** Validates. */
    public Settings {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(target, "target");
      if (connections < 1 || messages < 1 || messagesPerConnection < 1) {
        throw new IllegalArgumentException(
            "connections, messages and messages per connection must be positive");
      }
      if (rate < 0 || Double.isNaN(rate)) {
        throw new IllegalArgumentException("the rate is 0 (saturation) or positive: " + rate);
      }
    }

    /** These settings at a fixed offered rate. */
    public Settings atRate(double messagesPerSecond) {
      return new Settings(
          name, target, connections, messages, messagesPerSecond, messagesPerConnection);
    }

    /** These settings with another message count. */
    public Settings withMessages(int count) {
      return new Settings(name, target, connections, count, rate, messagesPerConnection);
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final List<MilterMessage> pool;
  private final Context context;
  private final Latencies latencies = new Latencies();
  private final Promise<LoadResult> done = Promise.promise();
  private final ArrayDeque<Slot> idle = new ArrayDeque<>();
  private long t0;
  private long lastEnd;
  private int dispatched;
  private int released;
  private int completed;
  private int failures;
  private int passed;
  private int finishedSlots;
  private long scheduler = -1;
  private long sequence;

  private MilterLoad(Vertx vertx, Settings settings, List<MilterMessage> pool) {
    this.vertx = vertx;
    this.settings = settings;
    this.pool = List.copyOf(pool);
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Runs the load and waits for its end (at most {@code timeoutSeconds}).
   *
   * @param pool the messages, used in turn
   */
  public static LoadResult run(
      Vertx vertx, Settings settings, List<MilterMessage> pool, long timeoutSeconds)
      throws Exception {
    if (pool.isEmpty()) {
      throw new IllegalArgumentException("no messages to send");
    }
    if (Vertx.currentContext() != null) {
      throw new IllegalStateException("run blocks: call it from a thread of its own");
    }
    MilterLoad load = new MilterLoad(vertx, settings, pool);
    load.context.runOnContext(v -> load.start());
    return load.done
        .future()
        .toCompletionStage()
        .toCompletableFuture()
        .get(timeoutSeconds, TimeUnit.SECONDS);
  }

  /** One connection's worth of sending: at most one message at a time. */
  private final class Slot {
    MilterClient client;
    int used;

    void next() {
      if (dispatched == settings.messages()) {
        retire();
        return;
      }
      long start;
      if (settings.rate() > 0) {
        if (dispatched == released) {
          idle.add(this);
          return;
        }
        start = dueTime(dispatched);
      } else {
        start = System.nanoTime();
      }
      MilterMessage message = pool.get(dispatched % pool.size());
      dispatched++;
      connection()
          .compose(c -> transaction(c, message))
          .onComplete(
              ar -> {
                long now = System.nanoTime();
                lastEnd = now;
                if (ar.succeeded()) {
                  completed++;
                  latencies.record(now - start);
                  if (ar.result()) {
                    passed++;
                  }
                  used++;
                  if (used >= settings.messagesPerConnection()) {
                    client.quit();
                    client = null;
                  }
                } else {
                  failures++;
                  if (client != null) {
                    client.close();
                    client = null;
                  }
                }
                next();
              });
    }

    private Future<MilterClient> connection() {
      if (client != null) {
        return Future.succeededFuture(client);
      }
      used = 0;
      return MilterClient.connect(vertx, settings.target(), CONNECT_MACROS)
          .compose(
              c -> {
                client = c;
                return c.connectEvent(
                        BenchDomain.CLIENT_NAME, address(BenchDomain.CLIENT_ADDRESS), 52_525)
                    .compose(
                        r ->
                            ends(r)
                                ? failed("CONNECT", r)
                                : c.helo(BenchDomain.CLIENT_NAME, Map.of()))
                    .compose(r -> ends(r) ? failed("HELO", r) : Future.succeededFuture(c));
              });
    }

    private void retire() {
      if (client != null) {
        client.quit();
        client = null;
      }
      finishedSlots++;
      if (finishedSlots == settings.connections()) {
        finish();
      }
    }
  }

  private void start() {
    t0 = System.nanoTime();
    lastEnd = t0;
    if (settings.rate() > 0) {
      release();
      scheduler = vertx.setPeriodic(1, t -> release());
    }
    for (int i = 0; i < settings.connections(); i++) {
      new Slot().next();
    }
  }

  private long dueTime(int index) {
    return t0 + (long) (index * 1e9 / settings.rate());
  }

  /** Releases the messages that are due by now, and wakes idle connections for them. */
  private void release() {
    long now = System.nanoTime();
    while (released < settings.messages() && dueTime(released) <= now) {
      released++;
    }
    if (released == settings.messages() && scheduler >= 0) {
      vertx.cancelTimer(scheduler);
      scheduler = -1;
    }
    while (dispatched < released && !idle.isEmpty()) {
      idle.poll().next();
    }
    if (released == settings.messages()) {
      // No message is left to wait for: idle connections may retire.
      while (!idle.isEmpty()) {
        idle.poll().next();
      }
    }
  }

  private void finish() {
    if (scheduler >= 0) {
      vertx.cancelTimer(scheduler);
    }
    double seconds = (lastEnd - t0) / 1e9;
    boolean any = latencies.count() > 0;
    done.tryComplete(
        new LoadResult(
            settings.name(),
            settings.rate(),
            completed,
            failures,
            passed,
            seconds,
            any ? latencies.percentileMillis(50) : Double.NaN,
            any ? latencies.percentileMillis(99) : Double.NaN,
            any ? latencies.percentileMillis(99.9) : Double.NaN,
            Double.NaN));
  }

  /**
   * One mail transaction in Postfix's order, each event after the reply to the last one (when one
   * is due). Completes with whether the filter's Authentication-Results said {@code dkim=pass}; an
   * earlier final reply (reject, tempfail...) completes it with false.
   */
  private Future<Boolean> transaction(MilterClient client, MilterMessage message) {
    String queueId = Long.toHexString(0x10000000L + sequence++).toUpperCase(java.util.Locale.ROOT);
    Map<String, String> withId = Map.of("i", queueId);
    Map<String, String> mailMacros = new LinkedHashMap<>();
    mailMacros.put("{mail_addr}", BenchDomain.SENDER);
    mailMacros.put("{mail_host}", "example.com");
    mailMacros.put("{mail_mailer}", "smtp");
    Map<String, String> rcptMacros = new LinkedHashMap<>(withId);
    rcptMacros.put("{rcpt_addr}", BenchDomain.RECIPIENT);
    rcptMacros.put("{rcpt_host}", "example.org");
    rcptMacros.put("{rcpt_mailer}", "smtp");
    List<Step> steps = new ArrayList<>();
    steps.add(() -> client.mail(List.of("<" + BenchDomain.SENDER + ">"), mailMacros));
    steps.add(() -> client.rcpt(List.of("<" + BenchDomain.RECIPIENT + ">"), rcptMacros));
    steps.add(() -> client.data(withId));
    for (MilterMessage.Field field : message.headers()) {
      steps.add(() -> client.header(field.name(), field.value(), Map.of()));
    }
    steps.add(() -> client.endOfHeaders(withId));
    int bodySteps = steps.size();
    byte[] body = message.body();
    for (int off = 0; off < body.length; off += MilterProtocol.MAX_BODY_CHUNK) {
      byte[] chunk =
          Arrays.copyOfRange(body, off, Math.min(body.length, off + MilterProtocol.MAX_BODY_CHUNK));
      steps.add(() -> client.body(chunk, Map.of()));
    }
    return steps(steps, 0, bodySteps)
        .compose(
            early -> {
              if (early.isPresent()) {
                client.abort();
                return Future.succeededFuture(false);
              }
              return client
                  .endOfMessage(withId)
                  .map(
                      result -> {
                        client.abort();
                        return passed(result);
                      });
            });
  }

  /** An event to send; completes with its reply, or empty when none is due. */
  private interface Step {
    Future<Optional<MilterReply>> send();
  }

  /**
   * Runs the steps in order, each after the last one's reply; completes with the reply that ended
   * the transaction early, or empty. A SKIP to a body chunk skips the rest of the body.
   */
  private Future<Optional<MilterReply>> steps(List<Step> steps, int index, int firstBody) {
    while (index < steps.size()) {
      Future<Optional<MilterReply>> sent = steps.get(index).send();
      int next = index + 1;
      if (sent.isComplete() && sent.succeeded() && sent.result().isEmpty()) {
        index = next; // no reply due: on to the next event at once, as Postfix does
        continue;
      }
      return sent.compose(
          r -> {
            if (r.isPresent() && r.get() instanceof MilterReply.Skip && next > firstBody) {
              return Future.succeededFuture(Optional.empty());
            }
            if (ends(r)) {
              return Future.succeededFuture(r);
            }
            return steps(steps, next, firstBody);
          });
    }
    return Future.succeededFuture(Optional.empty());
  }

  private static boolean ends(Optional<MilterReply> r) {
    return r.isPresent()
        && !(r.get() instanceof MilterReply.Continue)
        && !(r.get() instanceof MilterReply.Skip);
  }

  private static <T> Future<T> failed(String event, Optional<MilterReply> reply) {
    return Future.failedFuture(
        new IllegalStateException("the filter ended the session at " + event + ": " + reply));
  }

  /** The value of the last Authentication-Results field a filter added (any run), for checks. */
  static volatile String lastAuthResults;

  /** True when an Authentication-Results field the filter added says dkim=pass. */
  static boolean passed(MilterResult result) {
    if (!result.delivered()) {
      return false;
    }
    for (MilterReply m : result.modifications()) {
      String name = null;
      String value = null;
      if (m instanceof MilterReply.InsertHeader i) {
        name = i.name();
        value = i.value();
      } else if (m instanceof MilterReply.AddHeader a) {
        name = a.name();
        value = a.value();
      }
      if (name != null && name.equalsIgnoreCase("Authentication-Results")) {
        lastAuthResults = value;
        if (value.contains("dkim=pass")) {
          return true;
        }
      }
    }
    return false;
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
