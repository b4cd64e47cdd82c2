package org.authmill.report;

import java.util.Objects;

/**
 * A counted row as the store holds it.
 *
 * @param policyDomain the DMARC Policy Domain the row is reported to
 * @param periodStart the start of its period (seconds since the epoch)
 * @param periodEnd the last second of its period
 * @param row what the row says
 * @param count how many messages it stands for
 */
public record StoredRow(
    String policyDomain, long periodStart, long periodEnd, ReportRow row, long count) {
  public StoredRow {
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(row, "row");
  }
}
