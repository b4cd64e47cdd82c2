package org.authmill.arc;

import java.util.List;
import java.util.Objects;

/**
 * The result of verifying a message's ARC chain (RFC 8617 §5.2).
 *
 * @param cv the chain validation status
 * @param reason why, in words an operator can act on (which set, which field, what failed)
 * @param instances the number of ARC sets found (distinct instances; the highest instance of a
 *     valid chain), 0 for none
 * @param oldestPass the lowest instance whose ARC-Message-Signature verifies, as do those of every
 *     later instance (RFC 8617 §5.2 step 5, {@code header.oldest-pass}); 0 unless {@code cv} is
 *     pass
 * @param hops the ARC sets, oldest first, when the chain's structure is complete (empty for {@code
 *     none} and for malformed chains)
 */
public record ArcOutcome(
    ArcCv cv, String reason, int instances, int oldestPass, List<ArcHop> hops) {
  public ArcOutcome {
    Objects.requireNonNull(cv, "cv");
    Objects.requireNonNull(reason, "reason");
    hops = List.copyOf(hops);
    if (instances < 0 || oldestPass < 0 || oldestPass > instances) {
      throw new IllegalArgumentException(
          "instances " + instances + " and oldestPass " + oldestPass + " are inconsistent");
    }
  }

  static ArcOutcome none() {
    return new ArcOutcome(ArcCv.NONE, "no ARC sets on the message", 0, 0, List.of());
  }

  static ArcOutcome fail(String reason, int instances, List<ArcHop> hops) {
    return new ArcOutcome(ArcCv.FAIL, reason, instances, 0, hops);
  }

  /** True for {@link ArcCv#PASS}. */
  public boolean passed() {
    return cv == ArcCv.PASS;
  }

  /** The sealers' domains ({@code d=} of each ARC-Seal), oldest first. */
  public List<String> sealerDomains() {
    return hops.stream().map(ArcHop::domain).toList();
  }
}
