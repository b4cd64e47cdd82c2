package org.authmill.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One inbound message that DMARC evaluated, as the {@link ReportRecorder} takes it: when it
 * arrived, the row it adds to, the policy that applied and where that policy asks reports to go.
 * {@link DmarcReportAdapter} builds one from the filter's outcome.
 *
 * @param time when the message arrived; picks the reporting period
 * @param row what the report says about the message
 * @param published the DMARC Policy Record that applied
 * @param organizationalDomain the Organizational Domain of the policy domain, for deciding which
 *     report destinations are external (RFC 9990 §4)
 * @param aggregateReportUris the record's {@code rua} URIs, as published
 */
public record ReportEvent(
    Instant time,
    ReportRow row,
    PolicyPublished published,
    String organizationalDomain,
    List<String> aggregateReportUris) {
  /** The most {@code rua} URIs kept per policy (RFC 9990 §2.3: up to the receiver's limits). */
  public static final int MAX_URIS = 10;

  public ReportEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(published, "published");
    organizationalDomain = Fields.token(organizationalDomain, "organizational domain");
    aggregateReportUris =
        List.copyOf(
            aggregateReportUris.size() > MAX_URIS
                ? aggregateReportUris.subList(0, MAX_URIS)
                : aggregateReportUris);
    aggregateReportUris.forEach(u -> Fields.token(u, "rua URI"));
  }
}
