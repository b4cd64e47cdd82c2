package org.authmill.server;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one configuration: those that watch objects a configuration builds (its caches).
 * They are declared while the configuration's pipeline is built, registered when the configuration
 * takes effect ({@link #bindTo}), and removed when the next one does ({@link #close}): after a
 * reload no meter watches an object of the old configuration, and the new objects' meters take the
 * same names (registering a name still in use would return the old meter).
 */
public final class ConfigMeters implements AutoCloseable {
  private final List<Function<MeterRegistry, List<Meter>>> binders = new ArrayList<>();
  private final List<Meter> bound = new ArrayList<>();
  private MeterRegistry registry;

  /** A gauge of a value of {@code target}. */
  public synchronized <T> void gauge(String name, T target, ToDoubleFunction<T> value) {
    declare(r -> List.of(Gauge.builder(name, target, value).register(r)));
  }

  /** A counter that reads its count from {@code target}. */
  public synchronized <T> void counter(String name, T target, ToDoubleFunction<T> count) {
    declare(r -> List.of(FunctionCounter.builder(name, target, count).register(r)));
  }

  /** Micrometer's Caffeine meters ({@code cache.gets}, {@code cache.size}...) tagged cache=name. */
  public synchronized void cache(Cache<?, ?> cache, String name) {
    declare(
        r -> {
          CaffeineCacheMetrics.monitor(r, cache, name);
          return r.getMeters().stream()
              .filter(m -> name.equals(m.getId().getTag("cache")))
              .toList();
        });
  }

  private void declare(Function<MeterRegistry, List<Meter>> binder) {
    if (registry != null) {
      throw new IllegalStateException("meters declared after the configuration took effect");
    }
    binders.add(binder);
  }

  /** Registers the declared meters (once). */
  public synchronized void bindTo(MeterRegistry target) {
    if (registry != null) {
      throw new IllegalStateException("already bound");
    }
    registry = Objects.requireNonNull(target, "target");
    for (Function<MeterRegistry, List<Meter>> binder : binders) {
      bound.addAll(binder.apply(target));
    }
  }

  /** The meters registered now. */
  public synchronized List<Meter> meters() {
    return List.copyOf(bound);
  }

  /** Removes the registered meters from the registry. */
  @Override
  public synchronized void close() {
    if (registry != null) {
      bound.forEach(registry::remove);
    }
    bound.clear();
  }
}
