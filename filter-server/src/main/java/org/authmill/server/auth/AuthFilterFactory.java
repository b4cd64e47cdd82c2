package org.authmill.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import org.authmill.auth.Authenticator;
import org.authmill.auth.SpfCache;
import org.authmill.dkim.DkimKeyParse;
import org.authmill.dkim.DkimKeyRecord;
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
        Authenticator.builder()
            .resolver(context.dns())
            .dnsBudget(dnsBudget(config.limits().handlerDeadline()))
            .authservId(config.authservId())
            .maxSignatures(config.limits().maxSignatures())
            .spfCache(config.caches().spfResults());
    int keyEntries = config.caches().keyEntries();
    if (keyEntries > 0) {
      Cache<String, DkimKeyParse> keys =
          Caffeine.newBuilder().maximumSize(keyEntries).recordStats().build();
      context.meters().cache(keys, "dkim_keys");
      builder.keyParser(text -> keys.get(text, DkimKeyRecord::parse));
    }
    Authenticator authenticator = builder.build();
    authenticator
        .spfCache()
        .ifPresent(
            cache -> {
              context.meters().gauge("authmill.spf.cache.size", cache, SpfCache::size);
              context.meters().counter("authmill.spf.cache.hits", cache, c -> c.stats().hitCount());
              context
                  .meters()
                  .counter("authmill.spf.cache.misses", cache, c -> c.stats().missCount());
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
