package org.authmill.dmarc;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DomainName;

/**
 * The RFC 7489 §3.2 Organizational Domain: the public suffix of the domain, from the Public Suffix
 * List, plus one label. A domain that is itself a public suffix is its own Organizational Domain
 * (the list's "registrable domain" does not exist for it, but DMARC needs a domain to compare). No
 * DNS queries are made.
 */
public final class PublicSuffixOrganizationalDomain implements OrganizationalDomain {
  private final PublicSuffixList list;

  /** Uses the given list. */
  public PublicSuffixOrganizationalDomain(PublicSuffixList list) {
    this.list = Objects.requireNonNull(list, "list");
  }

  @Override
  public CompletionStage<OrganizationalDomainResult> find(String domain) {
    String name =
        DomainName.parse(domain)
            .value()
            .map(d -> d.toLowerCase().toString())
            .orElseThrow(() -> new IllegalArgumentException("not a domain name: " + domain));
    return CompletableFuture.completedFuture(of(name));
  }

  /** The answer for a name in normal form, without the asynchronous wrapper. */
  OrganizationalDomainResult of(String name) {
    return list.registrableDomain(name)
        .<OrganizationalDomainResult>map(
            d ->
                new OrganizationalDomainResult.Found(
                    d, "public suffix " + list.publicSuffix(name).orElse("?") + " plus one label"))
        .orElseGet(
            () -> new OrganizationalDomainResult.Found(name, name + " is itself a public suffix"));
  }
}
