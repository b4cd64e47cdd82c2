package org.authmill.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.net.InetAddress;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.authmill.spf.SpfOutcome;

/**
 * SPF verdicts kept for the smallest TTL of the DNS answers they used (RFC 7208 §4.4: the answers
 * may be cached, so the verdict may be too). The key is the client address, the whole MAIL FROM
 * address and the HELO name: a record's macros may use the local part ({@code %{l}}, {@code %{s}}),
 * so the domain alone would not do. Temporary errors are not kept.
 */
public final class SpfCache {
  private record Key(InetAddress client, String mailFrom, String helo) {}

  private final AsyncCache<Key, SpfOutcome> cache;

  SpfCache(int maximumSize) {
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .executor(Runnable::run)
            .expireAfter(
                new Expiry<Key, SpfOutcome>() {
                  @Override
                  public long expireAfterCreate(Key key, SpfOutcome outcome, long now) {
                    return outcome.ttl().toNanos();
                  }

                  @Override
                  public long expireAfterUpdate(
                      Key key, SpfOutcome outcome, long now, long currentDuration) {
                    return outcome.ttl().toNanos();
                  }

                  @Override
                  public long expireAfterRead(
                      Key key, SpfOutcome outcome, long now, long currentDuration) {
                    return currentDuration;
                  }
                })
            .recordStats()
            .buildAsync();
  }

  CompletionStage<SpfOutcome> get(
      InetAddress client,
      String mailFrom,
      String helo,
      Supplier<CompletionStage<SpfOutcome>> check) {
    Key key = new Key(client, mailFrom, helo.toLowerCase(Locale.ROOT));
    return cache.get(key, (k, executor) -> check.get().toCompletableFuture());
  }

  /** Hits, misses and evictions. */
  public CacheStats stats() {
    return cache.synchronous().stats();
  }

  /** How many verdicts are kept now. */
  public long size() {
    return cache.synchronous().estimatedSize();
  }
}
