package org.authmill.feedback;

import java.util.List;

/**
 * A whole aggregate report in memory: its metadata and records. For large reports use {@link
 * AggregateReportParser#parse(java.io.InputStream, AggregateReportParser.Handler)}, which streams
 * one record at a time.
 */
public record AggregateReport(ReportMetadata metadata, List<ReportRecord> records) {
  /** Copies the list. */
  public AggregateReport {
    records = List.copyOf(records);
  }

  /** The messages of all records. */
  public long messages() {
    return records.stream().mapToLong(ReportRecord::count).sum();
  }
}
