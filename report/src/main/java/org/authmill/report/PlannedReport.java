package org.authmill.report;

import java.util.List;

/**
 * A report that {@code authmill report send --dry-run} would send: its policy domain, period,
 * Report-ID, size and where it would go (each destination with what would happen).
 *
 * @param policyDomain the DMARC Policy Domain
 * @param begin start of the period
 * @param end end of the period
 * @param reportId the Report-ID
 * @param messages the messages counted
 * @param records the records
 * @param destinations each destination and its verdict, such as {@code a@b.example: send}
 */
public record PlannedReport(
    String policyDomain,
    long begin,
    long end,
    String reportId,
    long messages,
    int records,
    List<String> destinations) {
  public PlannedReport {
    destinations = List.copyOf(destinations);
  }
}
