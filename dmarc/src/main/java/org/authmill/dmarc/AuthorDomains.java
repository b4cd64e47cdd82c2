package org.authmill.dmarc;

import java.util.List;
import java.util.Objects;
import org.authmill.dns.DomainName;

/**
 * The Author Domains of a message (RFC 9989 §3.2.2 and §5.3.1): the distinct domains of the
 * mailboxes in its RFC5322.From header fields, in normal form (lower case, A-labels, no trailing
 * dot), in order of appearance; and what was wrong with the From: fields, if anything.
 *
 * <p>RFC 9989 §5.3.1 evaluates a message only when exactly one domain is extracted; what a receiver
 * does otherwise is its own choice (§11.5), made by {@link AuthorDomainPolicy}.
 *
 * @param domains the distinct author domains found
 * @param fromFields how many From: fields the message has
 * @param wellFormed true for exactly one From: field in RFC 5322 address-list syntax, naming at
 *     least one mailbox, every one with a domain DMARC can check; RFC 9989 §4.4 says identifier
 *     alignment cannot occur for a message with a malformed, absent or repeated From: field
 * @param problems what keeps the From: fields from naming exactly one domain in RFC 5322 syntax
 * @param complete false when limits stopped the extraction before every From: field was read, so
 *     that some author domains may be missing
 */
public record AuthorDomains(
    List<String> domains,
    int fromFields,
    boolean wellFormed,
    List<String> problems,
    boolean complete) {
  public AuthorDomains {
    domains = List.copyOf(domains);
    problems = List.copyOf(problems);
    if (wellFormed && (fromFields != 1 || domains.isEmpty())) {
      throw new IllegalArgumentException("well-formed needs one From: field and a domain");
    }
    if (fromFields < 0) {
      throw new IllegalArgumentException("negative field count");
    }
    for (String domain : domains) {
      if (!DomainName.parse(domain)
          .value()
          .map(d -> d.toLowerCase().toString())
          .map(domain::equals)
          .orElse(false)) {
        throw new IllegalArgumentException("not a domain in normal form: " + domain);
      }
    }
  }

  /**
   * One author domain, as from a message with a single well-formed From: field.
   *
   * @throws IllegalArgumentException if the text is not a domain name
   */
  public static AuthorDomains of(String domain) {
    Objects.requireNonNull(domain, "domain");
    String name =
        DomainName.parse(domain)
            .value()
            .map(d -> d.toLowerCase().toString())
            .orElseThrow(() -> new IllegalArgumentException("not a domain name: " + domain));
    return new AuthorDomains(List.of(name), 1, true, List.of(), true);
  }

  /** True for exactly one well-formed From: field naming exactly one domain. */
  public boolean isSingle() {
    return domains.size() == 1 && wellFormed && complete && fromFields == 1;
  }
}
