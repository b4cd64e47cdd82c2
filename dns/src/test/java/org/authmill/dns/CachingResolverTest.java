package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;

class CachingResolverTest {

  /** A ticker the test moves by hand. */
  static final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration by) {
      nanos.addAndGet(by.toNanos());
    }
  }

  /** Answers from a zone and counts how often it was asked. */
  static final class CountingResolver implements DnsResolver {
    final DnsResolver delegate;
    final AtomicInteger lookups = new AtomicInteger();

    CountingResolver(DnsResolver delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
      lookups.incrementAndGet();
      return delegate.lookup(name, type);
    }
  }

  private static final String ZONE =
      """
      zone.test. 3600 IN SOA ns.zone.test. h.zone.test. 1 3600 600 86400 60
      a.zone.test. 120 IN TXT "hello"
      a.zone.test. 120 IN A 192.0.2.1
      b.zone.test. 30 IN TXT "short"
      """;

  private final ManualTicker ticker = new ManualTicker();

  private CachingResolver cache(DnsResolver delegate) {
    return CachingResolver.builder(delegate).ticker(ticker).build();
  }

  private static <T> DnsAnswer<T> join(CompletionStage<DnsAnswer<T>> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void lookup_repeated_servedFromCacheUntilTtlPasses() {
    CountingResolver origin = new CountingResolver(ZoneResolver.fromText(ZONE));
    CachingResolver cache = cache(origin);
    assertThat(join(cache.txt("a.zone.test")).values()).containsExactly("hello");
    assertThat(join(cache.txt("A.Zone.Test.")).values()).containsExactly("hello");
    assertThat(origin.lookups).hasValue(1);
    ticker.advance(Duration.ofSeconds(119));
    join(cache.txt("a.zone.test"));
    assertThat(origin.lookups).hasValue(1);
    ticker.advance(Duration.ofSeconds(2));
    join(cache.txt("a.zone.test"));
    assertThat(origin.lookups).hasValue(2);
    assertThat(cache.stats().hitCount()).isEqualTo(2);
    assertThat(cache.stats().missCount()).isEqualTo(2);
  }

  @Test
  void lookup_typesCachedApart() {
    CountingResolver origin = new CountingResolver(ZoneResolver.fromText(ZONE));
    CachingResolver cache = cache(origin);
    join(cache.txt("a.zone.test"));
    join(cache.a("a.zone.test"));
    assertThat(origin.lookups).hasValue(2);
  }

  @Test
  void lookup_negativeAnswer_cachedForSoaMinimum() {
    CountingResolver origin = new CountingResolver(ZoneResolver.fromText(ZONE));
    CachingResolver cache = cache(origin);
    assertThat(join(cache.txt("missing.zone.test"))).isInstanceOf(DnsAnswer.NxDomain.class);
    assertThat(join(cache.mx("a.zone.test"))).isInstanceOf(DnsAnswer.NoData.class);
    ticker.advance(Duration.ofSeconds(59));
    join(cache.txt("missing.zone.test"));
    join(cache.mx("a.zone.test"));
    assertThat(origin.lookups).hasValue(2);
    ticker.advance(Duration.ofSeconds(2));
    join(cache.txt("missing.zone.test"));
    assertThat(origin.lookups).hasValue(3);
  }

  @Test
  void lookup_tempFailure_notCached() {
    AtomicInteger calls = new AtomicInteger();
    DnsResolver failing =
        new DnsResolver() {
          @Override
          public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(new DnsAnswer.TempFailure<>("timeout"));
          }
        };
    CachingResolver cache = cache(failing);
    join(cache.txt("x.test"));
    join(cache.txt("x.test"));
    assertThat(calls).hasValue(2);
  }

  @Test
  void lookup_concurrentSameQuestion_askedOnce() {
    CompletableFuture<DnsAnswer<String>> pending = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    DnsResolver slow =
        new DnsResolver() {
          @Override
          @SuppressWarnings("unchecked")
          public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
            calls.incrementAndGet();
            return (CompletionStage<DnsAnswer<T>>) (CompletionStage<?>) pending;
          }
        };
    CachingResolver cache = cache(slow);
    CompletableFuture<DnsAnswer<String>> first = cache.txt("x.test").toCompletableFuture();
    CompletableFuture<DnsAnswer<String>> second = cache.txt("x.test").toCompletableFuture();
    pending.complete(new DnsAnswer.Records<>(java.util.List.of("v"), Duration.ofSeconds(10)));
    assertThat(first.join().values()).containsExactly("v");
    assertThat(second.join().values()).containsExactly("v");
    assertThat(calls).hasValue(1);
  }

  @Test
  void lookup_ttlClampedToMaxAndMin() {
    CountingResolver origin = new CountingResolver(ZoneResolver.fromText(ZONE));
    CachingResolver cache =
        CachingResolver.builder(origin)
            .ticker(ticker)
            .minTtl(Duration.ofSeconds(60))
            .maxTtl(Duration.ofSeconds(90))
            .build();
    join(cache.txt("a.zone.test")); // TTL 120 → kept 90
    join(cache.txt("b.zone.test")); // TTL 30 → kept 60
    ticker.advance(Duration.ofSeconds(61));
    join(cache.txt("b.zone.test"));
    assertThat(origin.lookups).hasValue(3);
    ticker.advance(Duration.ofSeconds(30));
    join(cache.txt("a.zone.test"));
    assertThat(origin.lookups).hasValue(4);
  }

  @Test
  void maximumSize_bounded() {
    CachingResolver cache =
        CachingResolver.builder(ZoneResolver.fromText(ZONE)).ticker(ticker).maximumSize(10).build();
    for (int i = 0; i < 100; i++) {
      join(cache.txt("n" + i + ".zone.test"));
    }
    cache.stats(); // maintenance runs on the calling thread
    assertThat(cache.size()).isLessThanOrEqualTo(10);
    assertThat(cache.stats().evictionCount()).isGreaterThanOrEqualTo(90);
  }

  @Test
  void builder_minAboveMax_rejected() {
    assertThatThrownBy(
            () ->
                CachingResolver.builder(ZoneResolver.fromText(ZONE))
                    .minTtl(Duration.ofMinutes(5))
                    .maxTtl(Duration.ofMinutes(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minTtl");
  }

  /** Against real NSD: the second query needs no server, and after the TTL the server is asked. */
  @Test
  void lookup_realServer_repeatedQueryNeedsNoNetworkAndExpiresAfterTtl() {
    try (NsdServer nsd = NsdServer.servingFile(TestPaths.testdata("dns/fixtures.zone"))) {
      DnsjavaResolver network =
          DnsjavaResolver.builder()
              .nameserver(nsd.address())
              .timeout(Duration.ofMillis(300))
              .retries(0)
              .build();
      CachingResolver cache = cache(network);
      assertThat(join(cache.a("www.zone.test")).values()).hasSize(2); // TTL 120
      nsd.stop();
      assertThat(join(cache.a("www.zone.test")).values()).hasSize(2);
      assertThat(cache.stats().hitCount()).isEqualTo(1);
      ticker.advance(Duration.ofSeconds(121));
      assertThat(join(cache.a("www.zone.test"))).isInstanceOf(DnsAnswer.TempFailure.class);
    }
  }
}
