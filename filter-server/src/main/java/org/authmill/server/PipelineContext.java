package org.authmill.server;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.authmill.dns.DnsResolver;
import org.authmill.server.signing.SigningKeys;

/**
 * What the filters of one configuration are built from: the configuration, the (caching) DNS
 * resolver it describes, its signing keys, and the meter registry. Rebuilt on every reload.
 */
public record PipelineContext(
    FilterConfig config, DnsResolver dns, SigningKeys signingKeys, MeterRegistry registry) {
  /** Validates. */
  public PipelineContext {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(signingKeys, "signingKeys");
    Objects.requireNonNull(registry, "registry");
  }
}
