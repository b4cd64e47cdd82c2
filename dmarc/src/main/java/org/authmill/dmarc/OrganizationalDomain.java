package org.authmill.dmarc;

import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsResolver;

/**
 * A strategy for finding the Organizational Domain of a domain (RFC 9989 §3.2.14), used for relaxed
 * identifier alignment (RFC 9989 §4.10.2).
 *
 * <p>Two strategies exist: the RFC 9989 DNS Tree Walk ({@link #treeWalk}), the default, and the RFC
 * 7489 §3.2 Public Suffix List ({@link #publicSuffixList}), for the compatibility mode.
 */
interface OrganizationalDomain {

  /**
   * The Organizational Domain of a domain.
   *
   * @param domain a domain name (any case, U-labels or A-labels, with or without the trailing dot)
   * @throws IllegalArgumentException if the text is not a domain name
   */
  CompletionStage<OrganizationalDomainResult> find(String domain);

  /** The RFC 9989 §4.10 DNS Tree Walk with its limit of 8 queries. */
  static OrganizationalDomain treeWalk(DnsResolver resolver) {
    return TreeWalkOrganizationalDomain.using(resolver);
  }

  /** The RFC 7489 §3.2 rule: the public suffix plus one label, from the given list. */
  static OrganizationalDomain publicSuffixList(PublicSuffixList list) {
    return new PublicSuffixOrganizationalDomain(list);
  }
}
