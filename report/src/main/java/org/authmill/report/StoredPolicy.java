package org.authmill.report;

import java.util.List;
import java.util.Objects;

/**
 * The policy of a policy domain in a period as the store holds it: the last one seen.
 *
 * @param periodStart the start of the period
 * @param periodEnd the last second of the period
 * @param published the policy published
 * @param organizationalDomain the policy domain's Organizational Domain
 * @param aggregateReportUris the {@code rua} URIs
 * @param lastSeen when a message last used it (seconds since the epoch)
 */
public record StoredPolicy(
    long periodStart,
    long periodEnd,
    PolicyPublished published,
    String organizationalDomain,
    List<String> aggregateReportUris,
    long lastSeen) {
  public StoredPolicy {
    Objects.requireNonNull(published, "published");
    Objects.requireNonNull(organizationalDomain, "organizationalDomain");
    aggregateReportUris = List.copyOf(aggregateReportUris);
  }
}
