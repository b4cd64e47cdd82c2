package org.authmill.arc;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of sealing one message: the verification of the chain it arrived with, and the new ARC
 * set, or none with the reason (RFC 8617 §5.1: no set on a chain whose newest seal recorded {@code
 * cv=fail}, nor beyond 50 sets).
 *
 * @param chain the verification of the existing chain; its cv is the new seal's {@code cv=}
 * @param set the new set, when one was added
 * @param reason what was done and why
 */
public record ArcSealOutcome(ArcOutcome chain, Optional<ArcSet> set, String reason) {
  public ArcSealOutcome {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(reason, "reason");
  }

  /** True when a set was added. */
  public boolean sealed() {
    return set.isPresent();
  }
}
