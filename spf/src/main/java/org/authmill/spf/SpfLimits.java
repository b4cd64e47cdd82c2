package org.authmill.spf;

import java.time.Duration;
import java.util.Objects;

/**
 * The processing limits of RFC 7208 §4.6.4, each a named bound that a {@link SpfVerifier} checks
 * before the work it limits.
 *
 * @param maxDnsTerms terms that cause DNS queries ({@code include}, {@code a}, {@code mx}, {@code
 *     ptr}, {@code exists}, {@code redirect=}) per check; one more is a permerror (RFC: 10)
 * @param maxVoidLookups terms whose lookups answer NXDOMAIN or NODATA per check; one more is a
 *     permerror (RFC: SHOULD be 2)
 * @param maxMxNames mail exchangers one {@code mx} term may look up; more is a permerror (RFC: 10)
 * @param maxPtrNames PTR names one reverse lookup may validate; the rest are ignored (RFC: 10)
 * @param maxElapsed time one check may take before it ends in temperror (RFC: SHOULD allow at least
 *     20 s)
 */
public record SpfLimits(
    int maxDnsTerms, int maxVoidLookups, int maxMxNames, int maxPtrNames, Duration maxElapsed) {

  /** The limits RFC 7208 §4.6.4 sets: 10 terms, 2 void lookups, 10 MX and PTR names, 20 s. */
  public static final SpfLimits RFC_7208 = new SpfLimits(10, 2, 10, 10, Duration.ofSeconds(20));

  public SpfLimits {
    if (maxDnsTerms < 0 || maxDnsTerms > 1000) {
      throw new IllegalArgumentException("maxDnsTerms must be 0 to 1000: " + maxDnsTerms);
    }
    if (maxVoidLookups < 0 || maxVoidLookups > 1000) {
      throw new IllegalArgumentException("maxVoidLookups must be 0 to 1000: " + maxVoidLookups);
    }
    if (maxMxNames < 1 || maxMxNames > 1000) {
      throw new IllegalArgumentException("maxMxNames must be 1 to 1000: " + maxMxNames);
    }
    if (maxPtrNames < 1 || maxPtrNames > 1000) {
      throw new IllegalArgumentException("maxPtrNames must be 1 to 1000: " + maxPtrNames);
    }
    Objects.requireNonNull(maxElapsed, "maxElapsed");
    if (maxElapsed.isNegative() || maxElapsed.isZero()) {
      throw new IllegalArgumentException("maxElapsed must be positive: " + maxElapsed);
    }
  }
}
