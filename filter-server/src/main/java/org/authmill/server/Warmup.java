package org.authmill.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.authmill.milter.MilterMetrics;
import org.authmill.milter.MilterServer;
import org.authmill.milter.client.MilterClient;

/**
 * The start-up warm-up: {@link WarmupMail}'s synthetic deliveries, sent over milter connections on
 * loopback to a second instance of the configured pipeline, as the MTA sends mail, so that the JIT
 * has compiled the path of a message (codec, session, SPF, DKIM, DMARC, ARC, signing, the
 * Authentication-Results field) before the first real one comes: fresh, the filter spends about
 * three times a warm message's CPU on each of its first thousand messages (BENCHMARKS.md, issue
 * 17).
 *
 * <p>It stays out of the way. It starts after the real listener is up and never delays it; it stops
 * as soon as a real session is open (real mail warms the JIT itself, and must not share the CPU
 * with synthetic mail); its DNS answers come from the synthetic zone, so no query leaves the
 * machine; its keys are made for it; its sessions write no message log lines, count in their own
 * meters and record nothing for DMARC reports. A delivery whose header does not come back as
 * expected (a signature made here that does not verify here) ends it with a warning: the machine's
 * crypto or the configuration needs a look.
 */
final class Warmup {
  /** Why a warm-up ended. */
  enum End {
    /** All messages went through. */
    DONE,
    /** A real session opened. */
    GAVE_WAY,
    /** The server stopped. */
    STOPPED,
    /** It could not run, or a delivery came back other than expected. */
    FAILED
  }

  /**
   * How a warm-up went.
   *
   * @param messages deliveries that went through
   * @param elapsed from start (key generation included) to end
   * @param cpu the process's CPU time over the same span (every thread, real sessions included)
   * @param end why it ended
   * @param detail what failed, or empty
   */
  record Outcome(int messages, Duration elapsed, Duration cpu, End end, String detail) {
    /** One log line. */
    String describe() {
      String what =
          String.format(
              Locale.ROOT,
              "%d synthetic messages through the pipeline in %.1f s (process CPU %.1f s)",
              messages,
              elapsed.toMillis() / 1000.0,
              cpu.toMillis() / 1000.0);
      return switch (end) {
        case DONE -> what;
        case GAVE_WAY -> what + ", then gave way to real mail";
        case STOPPED -> what + ", then the server stopped";
        case FAILED -> what + ", then stopped: " + detail;
      };
    }
  }

  private final Vertx vertx;
  private final int messages;
  private final int connections;
  private final BooleanSupplier realMail;
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger delivered = new AtomicInteger();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Promise<Outcome> outcome = Promise.promise();
  private final long startNanos = System.nanoTime();
  private final long startCpu = processCpuNanos();
  private volatile boolean stopped;
  private volatile MilterServer server;

  /**
   * A warm-up, not yet started.
   *
   * @param messages how many deliveries to send
   * @param connections how many at a time
   * @param realMail true when a real session is open
   */
  Warmup(Vertx vertx, int messages, int connections, BooleanSupplier realMail) {
    this.vertx = vertx;
    this.messages = messages;
    this.connections = connections;
    this.realMail = realMail;
  }

  /**
   * Makes the mail on a worker thread, starts a milter server on {@code loopback} with the setup
   * the mail's pipeline gets, and sends; completes (never fails) when done, given way or stopped.
   */
  Future<Outcome> start(SocketAddress loopback, Function<WarmupMail, MilterServer.Setup> setup) {
    vertx
        .executeBlocking(
            () -> {
              WarmupMail mail = WarmupMail.generate();
              return new Prepared(mail.cycle(), setup.apply(mail));
            },
            false)
        .compose(
            p ->
                MilterServer.start(
                        vertx, loopback, 1, p.setup(), new MilterMetrics(new SimpleMeterRegistry()))
                    .map(s -> new Running(p.cycle(), s)))
        .onSuccess(
            running -> {
              server = running.server();
              if (stopped) {
                running.server().shutdown(Duration.ZERO);
                finish(End.STOPPED, "");
                return;
              }
              for (int i = 0; i < connections; i++) {
                next(running);
              }
            })
        .onFailure(e -> finish(End.FAILED, "cannot start: " + e.getMessage()));
    return outcome.future();
  }

  /** How it went: completes (never fails) when the warm-up has ended. */
  Future<Outcome> outcome() {
    return outcome.future();
  }

  /** Ends the warm-up: no new delivery starts, and its server closes. */
  void stop() {
    stopped = true;
    finish(End.STOPPED, "");
  }

  private record Prepared(List<WarmupMail.Delivery> cycle, MilterServer.Setup setup) {}

  private record Running(List<WarmupMail.Delivery> cycle, MilterServer server) {}

  /** One connection's next delivery, as Postfix sends one SMTP session's message. */
  private void next(Running running) {
    if (stopped) {
      finish(End.STOPPED, "");
      return;
    }
    if (realMail.getAsBoolean()) {
      finish(End.GAVE_WAY, "");
      return;
    }
    int n = issued.getAndIncrement();
    if (n >= messages) {
      if (delivered.get() >= messages) {
        finish(End.DONE, "");
      }
      return;
    }
    WarmupMail.Delivery delivery = running.cycle().get(n % running.cycle().size());
    MilterClient.connect(
            vertx,
            running.server().address(),
            MilterClient.postfixConnectMacros(
                "mx." + WarmupMail.DOMAIN,
                "smtpd",
                "mail." + WarmupMail.DOMAIN,
                delivery.client().getHostAddress()))
        .compose(
            client ->
                client
                    .connectEvent("mail." + WarmupMail.DOMAIN, delivery.client(), 25)
                    .compose(r -> client.helo("mail." + WarmupMail.DOMAIN, java.util.Map.of()))
                    .compose(r -> client.send(delivery.transaction()))
                    .andThen(r -> client.quit()))
        .onSuccess(
            result -> {
              if (!delivery.cameBackAsExpected(result)) {
                finish(
                    End.FAILED,
                    "the synthetic delivery '"
                        + delivery.kind()
                        + "' came back otherwise than expected: "
                        + oneLine(result.toString()));
                return;
              }
              delivered.incrementAndGet();
              next(running);
            })
        .onFailure(e -> finish(End.FAILED, "delivery '" + delivery.kind() + "': " + e));
  }

  /** Folded header values on one line, and not too long for a log line. */
  private static String oneLine(String text) {
    String flat = text.replaceAll("\\s+", " ");
    return flat.length() <= 600 ? flat : flat.substring(0, 600) + "...";
  }

  private void finish(End end, String detail) {
    stopped = true;
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    Outcome o =
        new Outcome(
            delivered.get(),
            Duration.ofNanos(System.nanoTime() - startNanos),
            Duration.ofNanos(processCpuNanos() - startCpu),
            end,
            detail);
    MilterServer s = server;
    if (s == null) {
      outcome.tryComplete(o);
    } else {
      s.shutdown(Duration.ZERO).onComplete(v -> outcome.tryComplete(o));
    }
  }

  /** The process's CPU time (HotSpot's operating-system bean), or 0 where it is not offered. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }
}
