package org.authmill.milter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The milter server's meters (Micrometer; Prometheus names in brackets): open sessions ({@code
 * authmill_milter_sessions_open}), sessions ({@code authmill_milter_sessions_total}), messages per
 * final action ({@code authmill_milter_messages_total{action}}), filter callback latency per event
 * ({@code authmill_milter_handler_seconds{event}}), filter failures ({@code
 * authmill_milter_filter_failures_total{kind}}), protocol errors, exceeded limits, and sessions
 * closed for stalling ({@code authmill_milter_timeouts_total{kind}}).
 */
public final class MilterMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger open = new AtomicInteger();
  private final Counter sessions;
  private final Counter protocolErrors;
  // Meters per tag value, registered once (registering builds and looks up an id each time); read
  // with get first, since computeIfAbsent's capturing lambda would be allocated on every call.
  private final Map<String, Counter> messages = new ConcurrentHashMap<>();
  private final Map<String, Timer> handlers = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final Map<String, Counter> timeouts = new ConcurrentHashMap<>();
  private final Map<String, Counter> limits = new ConcurrentHashMap<>();

  /** Registers the meters in a registry. */
  public MilterMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("authmill.milter.sessions.open", open);
    this.sessions =
        Counter.builder("authmill.milter.sessions")
            .description("milter sessions")
            .register(registry);
    this.protocolErrors =
        Counter.builder("authmill.milter.protocol.errors")
            .description("connections closed or commands ignored for breaking the protocol")
            .register(registry);
  }

  /** The number of sessions open now. */
  public int openSessions() {
    return open.get();
  }

  /** The registry the meters live in. */
  MeterRegistry registry() {
    return registry;
  }

  void sessionOpened() {
    open.incrementAndGet();
    sessions.increment();
  }

  void sessionClosed() {
    open.decrementAndGet();
  }

  void protocolError() {
    protocolErrors.increment();
  }

  void message(String action) {
    counter(
            messages,
            "authmill.milter.messages",
            "messages by the filter's final action",
            "action",
            action.toLowerCase(Locale.ROOT))
        .increment();
  }

  void handler(String event, Duration took) {
    Timer timer = handlers.get(event);
    if (timer == null) {
      timer =
          handlers.computeIfAbsent(
              event,
              e ->
                  Timer.builder("authmill.milter.handler")
                      .description("time a filter callback took")
                      .tag("event", e)
                      .register(registry));
    }
    timer.record(took);
  }

  void filterFailure(String kind) {
    counter(
            failures,
            "authmill.milter.filter.failures",
            "filter callbacks that failed or missed their deadline",
            "kind",
            kind)
        .increment();
  }

  void timeout(String kind) {
    counter(
            timeouts,
            "authmill.milter.timeouts",
            "connections closed for stalling: idle, packet (trickled), write (unread)",
            "kind",
            kind)
        .increment();
  }

  void limitExceeded(String limit) {
    counter(
            limits,
            "authmill.milter.limits.exceeded",
            "messages that exceeded a configured limit",
            "limit",
            limit)
        .increment();
  }

  /** The counter {@code name} with {@code tag=value}, registered on first use. */
  private Counter counter(
      Map<String, Counter> byValue, String name, String description, String tag, String value) {
    Counter counter = byValue.get(value);
    return counter != null
        ? counter
        : byValue.computeIfAbsent(
            value,
            v -> Counter.builder(name).description(description).tag(tag, v).register(registry));
  }
}
