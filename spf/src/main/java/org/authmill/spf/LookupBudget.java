package org.authmill.spf;

import java.time.Duration;
import java.time.Instant;

/**
 * What one check_host() evaluation, with all its includes and redirects, has spent of the limits of
 * RFC 7208 §4.6.4: DNS-querying terms, void lookups, elapsed time; and the smallest TTL of the
 * answers it used, which bounds how long its outcome may be cached.
 *
 * <p>A term counts as a void lookup at most once: an {@code a} or {@code exists} whose address
 * query, an {@code mx} whose MX query or any of whose exchange address queries, a {@code ptr} whose
 * PTR query answered NXDOMAIN or NODATA (§4.6.4 limits "terms for which DNS queries return" such
 * answers). Lookups for {@code exp=} and for validating PTR names (which the client's address owner
 * controls) do not count, and an {@code include} or {@code redirect=} whose domain has no record is
 * a permerror of its own (§5.2, §6.1).
 *
 * <p>Thread-safe: answers to the parallel lookups of one {@code mx} term may arrive at once.
 */
final class LookupBudget {
  private final SpfLimits limits;
  private final Instant deadline;
  private int terms;
  private int voids;
  private int queries;
  private Duration minTtl;

  LookupBudget(SpfLimits limits, Instant start) {
    this.limits = limits;
    this.deadline = start.plus(limits.maxElapsed());
  }

  /** Counts one DNS-querying term; false when it is one more than the limit. */
  synchronized boolean spendTerm() {
    terms++;
    return terms <= limits.maxDnsTerms();
  }

  /** Counts one void lookup; false when it is one more than the limit. */
  synchronized boolean spendVoid() {
    voids++;
    return voids <= limits.maxVoidLookups();
  }

  synchronized void countQuery() {
    queries++;
  }

  synchronized void seeTtl(Duration ttl) {
    if (minTtl == null || ttl.compareTo(minTtl) < 0) {
      minTtl = ttl;
    }
  }

  boolean expired(Instant now) {
    return now.isAfter(deadline);
  }

  synchronized int terms() {
    return Math.min(terms, limits.maxDnsTerms() + 1);
  }

  synchronized int voids() {
    return voids;
  }

  synchronized int queries() {
    return queries;
  }

  synchronized Duration minTtl() {
    return minTtl == null ? Duration.ZERO : minTtl;
  }

  SpfLimits limits() {
    return limits;
  }
}
