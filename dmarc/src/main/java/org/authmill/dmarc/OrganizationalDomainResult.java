package org.authmill.dmarc;

import java.util.Objects;

/** The Organizational Domain of a domain (RFC 9989 §3.2.14), or why it could not be found. */
sealed interface OrganizationalDomainResult
    permits OrganizationalDomainResult.Found, OrganizationalDomainResult.TempFailure {

  /**
   * The Organizational Domain.
   *
   * @param domain the Organizational Domain in normal form (lower case, A-labels)
   * @param basis how it was determined, in words
   */
  record Found(String domain, String basis) implements OrganizationalDomainResult {
    public Found {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(basis, "basis");
    }
  }

  /**
   * A query the determination needed failed temporarily (RFC 9989 §5.3.6).
   *
   * @param reason which query failed and how
   */
  record TempFailure(String reason) implements OrganizationalDomainResult {
    public TempFailure {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
