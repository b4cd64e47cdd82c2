package org.authmill.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.authmill.keys.KeyRotator;
import org.authmill.keys.RotationOutcome;
import org.authmill.server.signing.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve --state-dir} runs on a timer: the steps of the key lifecycle whose time has
 * come ({@link KeyRotator#advance(Optional)}, with the configuration's {@code rotate-every}), then,
 * when the managed keys that sign changed (by this pass, by {@code authmill keys ...} in another
 * process, or by a restart), a reload of the filter: new sessions sign with the new keys, sessions
 * in flight keep theirs, no connection is dropped.
 */
final class KeyMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyMaintenance.class);

  private final KeyRotator rotator;
  private final Optional<Duration> rotateEvery;
  private final Runnable reload;
  private final ScheduledExecutorService timer;
  private final Map<String, String> lastReported = new HashMap<>();
  private List<SigningKey> signing;

  /**
   * @param signing the managed keys the filter signs with now
   * @param reload rebuilds the filter's configuration (with the managed keys read anew)
   */
  KeyMaintenance(
      KeyRotator rotator,
      Optional<Duration> rotateEvery,
      List<SigningKey> signing,
      Runnable reload) {
    this.rotator = Objects.requireNonNull(rotator, "rotator");
    this.rotateEvery = Objects.requireNonNull(rotateEvery, "rotateEvery");
    this.signing = List.copyOf(signing);
    this.reload = Objects.requireNonNull(reload, "reload");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "authmill-keys");
              t.setDaemon(true);
              return t;
            });
  }

  /** Runs a pass now and then every {@code interval}. */
  KeyMaintenance start(Duration interval) {
    timer.scheduleWithFixedDelay(this::pass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass: the due steps, then a reload when the signing keys changed. */
  synchronized void pass() {
    try {
      for (RotationOutcome o : rotator.advance(rotateEvery)) {
        report(o);
      }
      List<SigningKey> now = ManagedKeys.signing(rotator.store());
      if (!now.equals(signing)) {
        LOG.info(
            "managed signing keys changed: {} -> {}; reloading",
            selectors(signing),
            selectors(now));
        signing = now;
        reload.run();
      }
    } catch (RuntimeException e) {
      LOG.error("key maintenance failed, retrying next pass: {}", e.getMessage(), e);
    }
  }

  /** Logs an outcome once, and again only when it changes (a waiting step is retried each pass). */
  private void report(RotationOutcome o) {
    String id = o.key().map(k -> k.domain() + ":" + k.selector()).orElse("");
    String line = o.status() + " " + o.message();
    if (line.equals(lastReported.put(id, line))) {
      return;
    }
    switch (o.status()) {
      case DONE -> LOG.info("keys: {}", o.message());
      case WAITING -> LOG.warn("keys: waiting: {}", o.message());
      case FAILED -> LOG.error("keys: failed: {}", o.message());
    }
  }

  private static List<String> selectors(List<SigningKey> keys) {
    return keys.stream().map(k -> k.domain() + ":" + k.selector()).toList();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
