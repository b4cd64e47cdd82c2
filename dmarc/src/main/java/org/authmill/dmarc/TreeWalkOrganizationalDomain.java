package org.authmill.dmarc;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DomainName;

/**
 * The Organizational Domain by the DNS Tree Walk (RFC 9989 §4.10 and §4.10.2): walk from the domain
 * towards the root querying {@code _dmarc} TXT records, at most {@link #DEFAULT_QUERY_LIMIT}
 * queries, then choose by the {@code psd} tags and label counts of the records found.
 */
public final class TreeWalkOrganizationalDomain implements OrganizationalDomain {
  /** The query limit of RFC 9989 §4.10: a walk asks for at most eight names. */
  public static final int DEFAULT_QUERY_LIMIT = 8;

  /** The smallest configurable query limit: the domain itself and its top-level domain. */
  public static final int MIN_QUERY_LIMIT = 2;

  /** The largest configurable query limit (a name has at most 127 labels). */
  public static final int MAX_QUERY_LIMIT = 127;

  private final RecordFetcher fetcher;
  private final int queryLimit;

  TreeWalkOrganizationalDomain(RecordFetcher fetcher, int queryLimit) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.queryLimit = checkLimit(queryLimit);
  }

  /** A tree walk over a resolver with the RFC 9989 limit of eight queries per walk. */
  public static TreeWalkOrganizationalDomain using(DnsResolver resolver) {
    return using(resolver, DEFAULT_QUERY_LIMIT);
  }

  /** A tree walk over a resolver with another query limit (RFC 9989 fixes it at eight). */
  public static TreeWalkOrganizationalDomain using(DnsResolver resolver, int queryLimit) {
    return new TreeWalkOrganizationalDomain(new RecordFetcher(resolver), queryLimit);
  }

  static int checkLimit(int queryLimit) {
    if (queryLimit < MIN_QUERY_LIMIT || queryLimit > MAX_QUERY_LIMIT) {
      throw new IllegalArgumentException(
          "tree walk query limit must be "
              + MIN_QUERY_LIMIT
              + " to "
              + MAX_QUERY_LIMIT
              + ": "
              + queryLimit);
    }
    return queryLimit;
  }

  @Override
  public CompletionStage<OrganizationalDomainResult> find(String domain) {
    String name =
        DomainName.parse(domain)
            .value()
            .map(d -> d.toLowerCase().toString())
            .orElseThrow(() -> new IllegalArgumentException("not a domain name: " + domain));
    return TreeWalk.walk(fetcher, name, queryLimit).thenApply(TreeWalkOrganizationalDomain::result);
  }

  static OrganizationalDomainResult result(WalkResult walk) {
    if (walk.failure().isPresent()) {
      return new OrganizationalDomainResult.TempFailure(
          "tree walk from "
              + walk.start()
              + " stopped at "
              + walk.failure().get().queryName()
              + ": "
              + walk.failure().get().detail());
    }
    return new OrganizationalDomainResult.Found(
        walk.organizationalDomain(), walk.organizationalDomainBasis());
  }
}
