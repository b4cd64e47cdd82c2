package org.authmill.dmarc;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * DMARC Policy Discovery (RFC 9989 §4.10.1): the Author Domain's own record, else the record of its
 * Organizational Domain, else that of its Public Suffix Domain, found by one DNS Tree Walk; in the
 * RFC 7489 compatibility mode, the Author Domain's record, else that of its Organizational Domain
 * from the Public Suffix List (RFC 7489 §6.6.3).
 */
final class PolicyDiscovery {
  private final RecordFetcher fetcher;
  private final DmarcMode mode;
  private final int queryLimit;
  private final PublicSuffixOrganizationalDomain publicSuffix;

  PolicyDiscovery(
      RecordFetcher fetcher,
      DmarcMode mode,
      int queryLimit,
      PublicSuffixOrganizationalDomain publicSuffix) {
    this.fetcher = fetcher;
    this.mode = mode;
    this.queryLimit = queryLimit;
    this.publicSuffix = publicSuffix;
  }

  CompletionStage<Discovery> discover(String author) {
    return fetcher
        .lookup(author)
        .thenCompose(
            first -> {
              if (first.kind() == PolicyLookup.Kind.TEMPFAIL) {
                return done(
                    new Discovery.Failed(
                        "DNS lookup of " + first.queryName() + " failed: " + first.detail()));
              }
              if (first.found()) {
                return done(
                    new Discovery.Found(first, Discovery.Source.AUTHOR_DOMAIN, Optional.empty()));
              }
              return mode == DmarcMode.RFC9989
                  ? discoverByTreeWalk(author)
                  : discoverByPublicSuffix(author, first);
            });
  }

  private CompletionStage<Discovery> discoverByTreeWalk(String author) {
    return TreeWalk.walk(fetcher, author, queryLimit)
        .thenApply(
            walk -> {
              if (walk.failure().isPresent()) {
                PolicyLookup failed = walk.failure().get();
                return new Discovery.Failed(
                    "DNS lookup of "
                        + failed.queryName()
                        + " failed during the tree walk: "
                        + failed.detail());
              }
              String org = walk.organizationalDomain();
              Optional<PolicyLookup> atOrg = walk.foundAt(org);
              if (atOrg.isPresent()) {
                return new Discovery.Found(
                    atOrg.get(), Discovery.Source.ORGANIZATIONAL_DOMAIN, Optional.of(org));
              }
              Optional<PolicyLookup> psd =
                  walk.found().stream().filter(l -> l.psd() == PsdFlag.YES).findFirst();
              if (psd.isPresent()) {
                return new Discovery.Found(
                    psd.get(), Discovery.Source.PUBLIC_SUFFIX_DOMAIN, Optional.of(org));
              }
              return new Discovery.Absent(
                  "no DMARC record for "
                      + author
                      + ": the tree walk found none ("
                      + walk.lookups().stream()
                          .map(PolicyLookup::detail)
                          .collect(Collectors.joining("; "))
                      + ")");
            });
  }

  private CompletionStage<Discovery> discoverByPublicSuffix(String author, PolicyLookup first) {
    if (first.kind() == PolicyLookup.Kind.MULTIPLE) {
      // RFC 7489 §6.6.3: the Organizational Domain is asked only when no record is left (step 3);
      // several records end policy discovery (step 5)
      return done(
          new Discovery.Absent(
              first.detail() + "; RFC 7489 §6.6.3 ends policy discovery, DMARC does not apply"));
    }
    OrganizationalDomainResult result = publicSuffix.of(author);
    String org = ((OrganizationalDomainResult.Found) result).domain();
    if (org.equals(author)) {
      return done(
          new Discovery.Absent(
              "no DMARC record for "
                  + author
                  + " ("
                  + first.detail()
                  + "), its own Organizational"
                  + " Domain"));
    }
    return fetcher
        .lookup(org)
        .thenApply(
            second -> {
              if (second.kind() == PolicyLookup.Kind.TEMPFAIL) {
                return new Discovery.Failed(
                    "DNS lookup of " + second.queryName() + " failed: " + second.detail());
              }
              if (second.found()) {
                return new Discovery.Found(
                    second, Discovery.Source.ORGANIZATIONAL_DOMAIN, Optional.of(org));
              }
              return new Discovery.Absent(
                  "no DMARC record for "
                      + author
                      + " ("
                      + first.detail()
                      + ") nor for its Organizational Domain "
                      + org
                      + " ("
                      + second.detail()
                      + ")");
            });
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
