package org.authmill.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A Caffeine cache in front of another resolver.
 *
 * <p>Records are kept for their TTL, NXDOMAIN and NODATA for the negative TTL of RFC 2308 §5, both
 * clamped to [{@code minTtl}, {@code maxTtl}]; temporary failures are not kept. Concurrent lookups
 * of the same name and type share one query. The cache holds at most {@code maximumSize} answers.
 *
 * <pre>{@code
 * CachingResolver dns = CachingResolver.builder(DnsjavaResolver.builder().build())
 *     .maximumSize(50_000)
 *     .build();
 * }</pre>
 */
public final class CachingResolver implements DnsResolver {

  private record Key(String name, RecordType<?> type) {}

  private final DnsResolver delegate;
  private final AsyncCache<Key, DnsAnswer<?>> cache;

  private CachingResolver(Builder builder) {
    this.delegate = builder.delegate;
    Duration minTtl = builder.minTtl;
    Duration maxTtl = builder.maxTtl;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(builder.maximumSize)
            .ticker(builder.ticker)
            .executor(builder.executor)
            .expireAfter(new AnswerExpiry(minTtl, maxTtl))
            .recordStats()
            .buildAsync();
  }

  /** A builder for a cache in front of {@code delegate}. */
  public static Builder builder(DnsResolver delegate) {
    return new Builder(delegate);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
    Key key = new Key(normalize(name), type);
    CompletableFuture<DnsAnswer<?>> answer =
        cache.get(
            key,
            (k, executor) ->
                delegate.lookup(k.name(), type).toCompletableFuture().thenApply(a -> a));
    return answer.thenApply(a -> (DnsAnswer<T>) a);
  }

  /** Hits, misses and evictions since the cache was built. */
  public CacheStats stats() {
    return cache.synchronous().stats();
  }

  /** How many answers the cache holds now (an estimate, as Caffeine gives it). */
  public long size() {
    return cache.synchronous().estimatedSize();
  }

  /** Drops every cached answer. */
  public void clear() {
    cache.synchronous().invalidateAll();
  }

  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.length() > 1 && lower.endsWith(".")
        ? lower.substring(0, lower.length() - 1)
        : lower;
  }

  private record AnswerExpiry(Duration minTtl, Duration maxTtl)
      implements Expiry<Key, DnsAnswer<?>> {
    @Override
    public long expireAfterCreate(Key key, DnsAnswer<?> answer, long currentTime) {
      Duration ttl;
      if (answer instanceof DnsAnswer.Records<?> records) {
        ttl = records.ttl();
      } else if (answer instanceof DnsAnswer.NxDomain<?> nx) {
        ttl = nx.ttl();
      } else if (answer instanceof DnsAnswer.NoData<?> noData) {
        ttl = noData.ttl();
      } else {
        return 0;
      }
      if (ttl.compareTo(minTtl) < 0) {
        ttl = minTtl;
      }
      if (ttl.compareTo(maxTtl) > 0) {
        ttl = maxTtl;
      }
      return ttl.toNanos();
    }

    @Override
    public long expireAfterUpdate(
        Key key, DnsAnswer<?> answer, long currentTime, long currentDuration) {
      return expireAfterCreate(key, answer, currentTime);
    }

    @Override
    public long expireAfterRead(
        Key key, DnsAnswer<?> answer, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Settings for a {@link CachingResolver}. */
  public static final class Builder {
    private final DnsResolver delegate;
    private long maximumSize = 10_000;
    private Duration minTtl = Duration.ZERO;
    private Duration maxTtl = Duration.ofDays(1);
    private Ticker ticker = Ticker.systemTicker();
    private Executor executor = Runnable::run;

    private Builder(DnsResolver delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The most answers to keep (default 10,000); the least used go first. */
    public Builder maximumSize(long maximumSize) {
      if (maximumSize < 0) {
        throw new IllegalArgumentException("maximumSize must not be negative: " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /** The shortest time an answer is kept, whatever its TTL (default 0). */
    public Builder minTtl(Duration minTtl) {
      this.minTtl = requireNotNegative(minTtl, "minTtl");
      return this;
    }

    /** The longest time an answer is kept, whatever its TTL (default one day). */
    public Builder maxTtl(Duration maxTtl) {
      this.maxTtl = requireNotNegative(maxTtl, "maxTtl");
      return this;
    }

    /** The clock that expiry is measured with (default: the system's nano time). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Where the cache's maintenance runs (default: the calling thread). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The caching resolver. */
    public CachingResolver build() {
      if (minTtl.compareTo(maxTtl) > 0) {
        throw new IllegalArgumentException("minTtl " + minTtl + " exceeds maxTtl " + maxTtl);
      }
      return new CachingResolver(this);
    }

    private static Duration requireNotNegative(Duration value, String what) {
      if (value.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + value);
      }
      return value;
    }
  }
}
