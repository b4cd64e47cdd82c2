package org.authmill.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import java.time.Duration;
import org.authmill.auth.Authenticator;
import org.authmill.auth.SpfCache;
import org.authmill.dkim.DkimKeyRecord;
import org.authmill.dns.ParseResult;
import org.authmill.milter.MailFilterFactory;
import org.authmill.server.FilterConfig;
import org.authmill.server.PipelineContext;

/** Builds the authentication filter of {@code authmill serve} from a configuration. */
public final class AuthFilterFactory {
  /** What the DNS work of one message may take: the handler deadline less this margin. */
  static final Duration DEADLINE_MARGIN = Duration.ofSeconds(4);

  private AuthFilterFactory() {}

  /**
   * The filter for a configuration: its caches (parsed DKIM keys, SPF verdicts; DNS answers are
   * cached by the context's resolver), its signing keys (read now) and its actions.
   */
  public static MailFilterFactory filter(PipelineContext context) {
    FilterConfig config = context.config();
    Authenticator.Builder builder =
        Authenticator.builder(context.dns())
            .dnsBudget(dnsBudget(config.limits().handlerDeadline()))
            .authservId(config.authservId())
            .maxSignatures(config.limits().maxSignatures())
            .spfCache(config.caches().spfResults());
    // A reload builds new caches: the meters of the old ones go first.
    MeterRegistry registry = context.registry();
    registry.find("authmill.spf.cache.size").meters().forEach(registry::remove);
    registry.find("authmill.spf.cache.hits").meters().forEach(registry::remove);
    registry.find("authmill.spf.cache.misses").meters().forEach(registry::remove);
    registry.find("cache.gets").tag("cache", "dkim_keys").meters().forEach(registry::remove);
    registry.find("cache.size").tag("cache", "dkim_keys").meters().forEach(registry::remove);
    registry.find("cache.evictions").tag("cache", "dkim_keys").meters().forEach(registry::remove);
    registry.find("cache.puts").tag("cache", "dkim_keys").meters().forEach(registry::remove);
    registry
        .find("cache.eviction.weight")
        .tag("cache", "dkim_keys")
        .meters()
        .forEach(registry::remove);
    int keyEntries = config.caches().keyEntries();
    if (keyEntries > 0) {
      Cache<String, ParseResult<DkimKeyRecord>> keys =
          Caffeine.newBuilder().maximumSize(keyEntries).recordStats().build();
      CaffeineCacheMetrics.monitor(context.registry(), keys, "dkim_keys");
      builder.keyParser(text -> keys.get(text, DkimKeyRecord::parse));
    }
    Authenticator authenticator = builder.build();
    authenticator
        .spfCache()
        .ifPresent(
            cache -> {
              context.registry().gauge("authmill.spf.cache.size", cache, SpfCache::size);
              context
                  .registry()
                  .more()
                  .counter(
                      "authmill.spf.cache.hits",
                      java.util.List.of(),
                      cache,
                      c -> c.stats().hitCount());
              context
                  .registry()
                  .more()
                  .counter(
                      "authmill.spf.cache.misses",
                      java.util.List.of(),
                      cache,
                      c -> c.stats().missCount());
            });
    OutboundSigners signers =
        new OutboundSigners(
            context.signingKeys(), config.signing().insecureKeyPermissions(), Clock.systemUTC());
    return AuthFilter.factory(
        new AuthFilter.Settings(
            authenticator,
            signers,
            new Direction(config.trustedNetworks(), config.originatingDaemons()),
            config.actions(),
            config.receivedSpf(),
            context.worker(),
            context.registry()));
  }

  static Duration dnsBudget(Duration handlerDeadline) {
    Duration budget = handlerDeadline.minus(DEADLINE_MARGIN);
    return budget.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : budget;
  }
}
