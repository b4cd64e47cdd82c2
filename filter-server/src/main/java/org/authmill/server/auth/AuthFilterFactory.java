package org.authmill.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.authmill.arc.ArcPolicy;
import org.authmill.arc.ArcSealer;
import org.authmill.arc.ArcVerifier;
import org.authmill.auth.Authenticator;
import org.authmill.auth.SpfCache;
import org.authmill.dkim.DkimKeyRecord;
import org.authmill.dns.ParseResult;
import org.authmill.milter.MailFilterFactory;
import org.authmill.server.ConfigException;
import org.authmill.server.FilterConfig;
import org.authmill.server.PipelineContext;
import org.authmill.server.signing.KeyFiles;

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
    int keyEntries = config.caches().keyEntries();
    if (keyEntries > 0) {
      Cache<String, ParseResult<DkimKeyRecord>> keys =
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
            context.registry(),
            context.reports(),
            config.report().envelopeTo() != null && config.report().envelopeTo(),
            arc(config, context)));
  }

  /** The ARC settings of a configuration (RFC 8617), or none when arc.verify is off. */
  static Optional<AuthFilter.ArcSettings> arc(FilterConfig config, PipelineContext context) {
    FilterConfig.Arc arc = config.arc();
    if (!arc.verify()) {
      return Optional.empty();
    }
    ArcVerifier verifier = ArcVerifier.builder(context.dns()).build();
    Optional<ArcSealer> sealer = Optional.empty();
    if (arc.seal() != null) {
      FilterConfig.ArcSeal seal = arc.seal();
      try {
        sealer =
            Optional.of(
                ArcSealer.builder()
                    .domain(seal.domain())
                    .selector(seal.selector())
                    .key(
                        KeyFiles.read(
                            seal.key(),
                            config.signing().insecureKeyPermissions(),
                            "signing.insecure-key-permissions"))
                    .authservId(config.authservId())
                    .verifier(verifier)
                    .build());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("arc.seal: " + e.getMessage(), e);
      }
    }
    FilterConfig.ArcSeal seal = arc.seal();
    return Optional.of(
        new AuthFilter.ArcSettings(
            verifier,
            new ArcPolicy(arc.trustedSealers()),
            sealer,
            seal != null && seal.inbound(),
            domain -> seal != null && seal.sealsOutbound(domain)));
  }

  static Duration dnsBudget(Duration handlerDeadline) {
    Duration budget = handlerDeadline.minus(DEADLINE_MARGIN);
    return budget.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : budget;
  }
}
