package org.authmill.server;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.authmill.dns.DnsResolver;
import org.authmill.server.signing.SigningKeys;

/**
 * What the filters of one configuration are built from: the configuration, the (caching) DNS
 * resolver it describes, its signing keys, the meter registry (for meters that outlive a
 * configuration, such as result counters), the meters of this configuration's own objects (its
 * caches: registered when it takes effect, removed on the next reload), and an executor for
 * CPU-heavy work (RSA signing, hashing large bodies) that must stay off the event loops. Rebuilt on
 * every reload.
 */
public record PipelineContext(
    FilterConfig config,
    DnsResolver dns,
    SigningKeys signingKeys,
    MeterRegistry registry,
    ConfigMeters meters,
    Executor worker) {
  /** Validates. */
  public PipelineContext {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(signingKeys, "signingKeys");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(meters, "meters");
    Objects.requireNonNull(worker, "worker");
  }
}
