package org.authmill.milter;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a session's filter with the handler deadline ({@link MilterSettings#handlerDeadline()}):
 * each call completes on the connection's event loop with the filter's answer, or with null when
 * the filter threw, failed, answered null or missed the deadline. A failure is counted, logged with
 * the error action that follows, and passed on as a reason; time spent is counted per event.
 */
final class FilterCalls {
  private static final Logger LOG = LoggerFactory.getLogger(MilterSession.class);

  private final Vertx vertx;
  private final Context context;
  private final MilterSettings settings;
  private final MilterMetrics metrics;
  private final String id;
  private final LongConsumer took;
  private final Consumer<String> failed;

  /**
   * @param took told the nanoseconds of each call that completed (or timed out)
   * @param failed told why, after each failure
   */
  FilterCalls(
      Vertx vertx,
      Context context,
      MilterSettings settings,
      MilterMetrics metrics,
      String id,
      LongConsumer took,
      Consumer<String> failed) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.metrics = metrics;
    this.id = id;
    this.took = took;
    this.failed = failed;
  }

  /** Calls the filter for {@code event}. Completes with its result, or with null: never fails. */
  <T> Future<T> call(String event, Supplier<CompletionStage<T>> invocation) {
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
    if (stage instanceof CompletableFuture<T> done && done.isDone()) {
      // Most callbacks (each header, the body) answer at once: no deadline timer, no promise.
      return answered(event, start, done);
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

  /** The outcome of a call whose stage was complete when the filter returned it. */
  private <T> Future<T> answered(String event, long start, CompletableFuture<T> done) {
    T result;
    try {
      result = done.join();
    } catch (CompletionException | CancellationException e) {
      record(event, start);
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      filterFailed(event, "error", cause);
      return Future.succeededFuture(null);
    }
    record(event, start);
    if (result == null) {
      filterFailed(event, "error", new NullPointerException("the filter answered null"));
    }
    return Future.succeededFuture(result);
  }

  /** Counts a failure that happened outside a call (the filter factory's), without a reason. */
  void factoryFailed() {
    metrics.filterFailure("error");
  }

  private void record(String event, long start) {
    long nanos = System.nanoTime() - start;
    metrics.handler(event, Duration.ofNanos(nanos));
    took.accept(nanos);
  }

  private void filterFailed(String event, String kind, Throwable t) {
    metrics.filterFailure(kind);
    String why = kind + " in " + event + ": " + t;
    if (kind.equals("timeout")) {
      LOG.warn("session {}: filter {}; applying {}", id, why, settings.errorAction());
    } else {
      LOG.warn("session {}: filter {}; applying {}", id, why, settings.errorAction(), t);
    }
    failed.accept(why);
  }
}
