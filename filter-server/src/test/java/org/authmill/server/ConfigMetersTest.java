package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConfigMetersTest {
  @Test
  void bindTo_registersWhatWasDeclared_closeRemovesIt_theNextWatchesItsOwnObjects() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicInteger oldSize = new AtomicInteger(7);
    ConfigMeters old = new ConfigMeters();
    old.gauge("test.size", oldSize, AtomicInteger::get);
    old.counter("test.hits", oldSize, AtomicInteger::get);
    Cache<String, String> cache = Caffeine.newBuilder().recordStats().build();
    old.cache(cache, "test_cache");
    assertThat(registry.getMeters()).isEmpty();
    old.bindTo(registry);
    assertThat(old.meters()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(registry.get("test.size").gauge().value()).isEqualTo(7.0);
    assertThat(registry.find("cache.size").tag("cache", "test_cache").meters()).isNotEmpty();

    AtomicInteger newSize = new AtomicInteger(42);
    ConfigMeters next = new ConfigMeters();
    next.gauge("test.size", newSize, AtomicInteger::get);
    old.close();
    assertThat(old.meters()).isEmpty();
    assertThat(registry.getMeters()).isEmpty();
    next.bindTo(registry);
    assertThat(registry.get("test.size").gauge().value()).isEqualTo(42.0);
    assertThat(registry.scrape()).contains("test_size 42.0").doesNotContain("test_cache");
    assertThatThrownBy(() -> next.gauge("late", newSize, AtomicInteger::get))
        .isInstanceOf(IllegalStateException.class);
  }
}
