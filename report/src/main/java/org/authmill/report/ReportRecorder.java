package org.authmill.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.authmill.report.RowStore.HeldKey;
import org.authmill.report.RowStore.PolicyKey;
import org.authmill.store.Store;
import org.authmill.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the messages that aggregate reports describe (RFC 9990 §3.1) and writes the counts to the
 * {@link Store} in batches.
 *
 * <p>{@link #record} never blocks on I/O: it adds one to a counter held in memory, keyed by the
 * period, the policy domain and the {@link ReportRow}, so equal rows are counted, not repeated.
 * Every flush interval (default 10 s), on {@link #flush()} (SIGTERM and SIGHUP call it) and on
 * {@link #close()}, the held counts go to the store in one transaction of atomic upserts ({@code
 * msg_count = msg_count + excluded.msg_count}), so several instances sharing a store add up and
 * never overwrite each other. A crash loses at most one flush interval of counts.
 *
 * <p>Memory is bounded: at most {@code maxHeldRows} distinct rows are held. When the store is down,
 * a failed flush keeps its counts and retries them with the next one; a message whose row is new
 * while the bound is reached is counted in {@link ReportMetrics#DROPPED} instead.
 */
public final class ReportRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReportRecorder.class);

  private final Store store;
  private final ReportPeriod period;
  private final int maxHeldRows;
  private final Clock clock;
  private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
  private final Object flushing = new Object();
  private final Counter recorded;
  private final Counter dropped;
  private final Counter flushFailures;
  private final ScheduledExecutorService scheduler;
  private volatile Held held = new Held();
  private volatile boolean closed;

  private ReportRecorder(Builder b) {
    this.store = b.store;
    this.period = b.period;
    this.maxHeldRows = b.maxHeldRows;
    this.clock = b.clock;
    MeterRegistry registry = b.registry;
    this.recorded =
        Counter.builder(ReportMetrics.RECORDED)
            .description("messages recorded for DMARC aggregate reports")
            .register(registry);
    this.dropped =
        Counter.builder(ReportMetrics.DROPPED)
            .description("messages not counted: too many distinct rows held in memory")
            .register(registry);
    this.flushFailures =
        Counter.builder(ReportMetrics.FLUSH_FAILURES)
            .description("flushes to the report store that failed")
            .register(registry);
    Gauge.builder(ReportMetrics.FLUSH_LAG, this, ReportRecorder::flushLagSeconds)
        .description("seconds since the oldest count held in memory was recorded")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(ReportMetrics.HELD, this, r -> r.heldRows())
        .description("distinct report rows held in memory")
        .register(registry);
    if (b.flushInterval.isZero()) {
      this.scheduler = null;
    } else {
      this.scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "authmill-report-flush");
                t.setDaemon(true);
                return t;
              });
      long ms = b.flushInterval.toMillis();
      scheduler.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A builder writing to a store; {@link Builder#build()} applies the report migrations.
   *
   * @param store the store the counts go to
   */
  public static Builder builder(Store store) {
    return new Builder(store);
  }

  /**
   * Counts one message. Never blocks on I/O and never throws for a full buffer: when the bound of
   * held rows is reached and the row is new, the message is counted as dropped.
   */
  public void record(ReportEvent event) {
    Objects.requireNonNull(event, "event");
    if (closed) {
      dropped.increment();
      return;
    }
    long start = period.startOf(event.time());
    PolicyPublished published = event.published();
    HeldKey key = new HeldKey(start, period.endOf(start), published.domain(), event.row());
    StoredPolicy policy =
        new StoredPolicy(
            start,
            period.endOf(start),
            published,
            event.organizationalDomain(),
            event.aggregateReportUris(),
            event.time().getEpochSecond());
    swap.readLock().lock();
    try {
      if (held.add(key, policy, 1, maxHeldRows, clock.millis())) {
        recorded.increment();
      } else {
        dropped.increment();
      }
    } finally {
      swap.readLock().unlock();
    }
  }

  /**
   * Writes the held counts to the store now.
   *
   * @return true when everything held was written (or nothing was held); false when the store
   *     failed and the counts are held for the next flush
   */
  public boolean flush() {
    synchronized (flushing) {
      Held batch;
      swap.writeLock().lock();
      try {
        batch = held;
        held = new Held();
      } finally {
        swap.writeLock().unlock();
      }
      if (batch.counts.isEmpty()) {
        return true;
      }
      Map<HeldKey, Long> counts = new HashMap<>();
      batch.counts.forEach((k, v) -> counts.put(k, v.sum()));
      Map<PolicyKey, StoredPolicy> policies = new HashMap<>(batch.policies);
      try {
        store.inTransaction(
            c -> {
              RowStore.write(c, counts, policies);
              return null;
            });
        return true;
      } catch (StoreException e) {
        flushFailures.increment();
        LOG.warn(
            "report store write failed, {} rows held for the next flush: {}",
            counts.size(),
            shorten(e.getMessage()));
        long lost = 0;
        swap.readLock().lock();
        try {
          Held now = held;
          now.oldest.accumulateAndGet(
              batch.oldest.get(), (a, b) -> a == 0 ? b : (b == 0 ? a : Math.min(a, b)));
          for (Map.Entry<HeldKey, Long> c : counts.entrySet()) {
            StoredPolicy p =
                policies.get(new PolicyKey(c.getKey().periodStart(), c.getKey().policyDomain()));
            if (!now.add(c.getKey(), p, c.getValue(), maxHeldRows, 0)) {
              lost += c.getValue();
            }
          }
        } finally {
          swap.readLock().unlock();
        }
        if (lost > 0) {
          dropped.increment(lost);
          LOG.warn("report store down: {} messages dropped beyond the bound of held rows", lost);
        }
        return false;
      }
    }
  }

  /**
   * Writes the held counts now when any of them belongs to a period that has ended by {@code now}
   * (the sender calls this before it looks for due reports, so this instance's counts are in the
   * report even when the flush interval is longer than the send delay).
   *
   * @return true when counts of an ended period were held and are now written; false when none were
   *     held or the store failed (they stay held)
   */
  public boolean flushEnded(java.time.Instant now) {
    long second = now.getEpochSecond();
    boolean ended = held.counts.keySet().stream().anyMatch(k -> k.periodEnd() < second);
    return ended && flush();
  }

  private static String shorten(String message) {
    return message == null || message.length() <= 300 ? message : message.substring(0, 300) + "...";
  }

  /** Distinct rows held in memory now. */
  public int heldRows() {
    return held.counts.size();
  }

  private double flushLagSeconds() {
    long oldest = held.oldest.get();
    return oldest == 0 ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("report flush failed", e);
    }
  }

  /** Stops the schedule and flushes what is held (once; later records count as dropped). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (scheduler != null) {
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flush();
    closed = true;
  }

  /** The counts of one flush interval. */
  private static final class Held {
    final ConcurrentHashMap<HeldKey, LongAdder> counts = new ConcurrentHashMap<>();
    final ConcurrentHashMap<PolicyKey, StoredPolicy> policies = new ConcurrentHashMap<>();
    final AtomicLong oldest = new AtomicLong();

    boolean add(HeldKey key, StoredPolicy policy, long n, int max, long nowMillis) {
      LongAdder count = counts.get(key);
      if (count == null) {
        if (counts.size() >= max) {
          return false;
        }
        count = counts.computeIfAbsent(key, k -> new LongAdder());
      }
      count.add(n);
      if (policy != null) {
        policies.merge(
            new PolicyKey(key.periodStart(), key.policyDomain()),
            policy,
            (a, b) -> b.lastSeen() >= a.lastSeen() ? b : a);
      }
      if (nowMillis != 0) {
        oldest.compareAndSet(0, nowMillis);
      }
      return true;
    }
  }

  /** Options of a {@link ReportRecorder}. */
  public static final class Builder {
    private final Store store;
    private ReportPeriod period = ReportPeriod.UTC_DAY;
    private Duration flushInterval = Duration.ofSeconds(10);
    private int maxHeldRows = 100_000;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private Clock clock = Clock.systemUTC();

    private Builder(Store store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The reporting period (default one UTC day). */
    public Builder period(ReportPeriod period) {
      this.period = Objects.requireNonNull(period, "period");
      return this;
    }

    /**
     * How often held counts are written (default 10 s; at most this much is lost in a crash).
     * {@link Duration#ZERO} turns the schedule off: only {@link #flush()} and {@link #close()}
     * write.
     */
    public Builder flushInterval(Duration interval) {
      if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 10)) {
        throw new IllegalArgumentException("flush interval must be 0 or at least 10 ms");
      }
      this.flushInterval = interval;
      return this;
    }

    /** The most distinct rows held in memory (default 100000). */
    public Builder maxHeldRows(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxHeldRows must be positive: " + max);
      }
      this.maxHeldRows = max;
      return this;
    }

    /** Where the metrics go (default a private registry). */
    public Builder registry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The clock for the flush lag. Periods come from each event's time. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Applies the report migrations and starts the flush schedule.
     *
     * @throws StoreException when the store cannot be migrated
     */
    public ReportRecorder build() {
      store.migrate(RowStore.MIGRATIONS);
      return new ReportRecorder(this);
    }
  }
}
