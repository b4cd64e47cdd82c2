package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading the configuration: the meters of the old configuration's objects do not stay. */
class FilterServerReloadTest {
  private static final List<String> CACHE_METERS =
      List.of("authmill.dns.cache.size", "authmill.spf.cache.size", "cache.size");

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private FilterConfig config(String caches) throws Exception {
    Path zone = Files.writeString(dir.resolve("empty.zone"), "");
    return FilterConfigYaml.parse(
        "listen: inet:127.0.0.1:0\nauthserv-id: mx.test\ndns:\n  zone-file: "
            + zone
            + "\n"
            + caches,
        "test");
  }

  /** The registered meters with one of the cache meters' names, as identities. */
  private static Set<Meter> cacheMeters(FilterServer server) {
    Set<Meter> found = Collections.newSetFromMap(new IdentityHashMap<>());
    server.registry().getMeters().stream()
        .filter(m -> CACHE_METERS.contains(m.getId().getName()))
        .forEach(found::add);
    return found;
  }

  @Test
  void reload_removesTheOldConfigurationsMetersAndRegistersTheNewOnes() throws Exception {
    FilterServer server = await(FilterServer.start(vertx, config("")));
    try {
      Set<Meter> first = cacheMeters(server);
      assertThat(first)
          .extracting(m -> m.getId().getName() + " " + m.getId().getTag("cache"))
          .containsExactlyInAnyOrder(
              "authmill.dns.cache.size null",
              "authmill.spf.cache.size null",
              "cache.size dkim_keys");
      assertThat(server.configurationMeters()).hasSizeGreaterThanOrEqualTo(first.size());
      Meter sessions = server.registry().get("authmill.milter.sessions").counter();

      server.reload(config(""));
      Set<Meter> second = cacheMeters(server);
      assertThat(second).hasSize(3);
      // Meters are equal by name and tags: the old ones must be gone as objects.
      assertThat(second).noneMatch(m -> first.stream().anyMatch(old -> old == m));
      assertThat(server.registry().getMeters())
          .noneMatch(m -> first.stream().anyMatch(old -> old == m));
      assertThat(server.configurationMeters())
          .allMatch(m -> server.registry().getMeters().stream().anyMatch(r -> r == m));
      // The milter's own meters are the server's, not the configuration's: they stay.
      assertThat(server.registry().get("authmill.milter.sessions").counter()).isSameAs(sessions);

      server.reload(config("caches:\n  dns-entries: 0\n  key-entries: 0\n  spf-results: 0\n"));
      assertThat(cacheMeters(server)).isEmpty();
      assertThat(server.configurationMeters()).isEmpty();
      assertThat(server.registry().find("cache.gets").tag("cache", "dkim_keys").meters()).isEmpty();

      server.reload(config(""));
      assertThat(cacheMeters(server)).hasSize(3);
    } finally {
      await(server.stop(Duration.ofSeconds(1)));
    }
    assertThat(cacheMeters(server)).as("meters after stop").isEmpty();
  }
}
