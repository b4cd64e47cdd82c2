package org.authmill.feedback;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A {@link ReportSink} in memory for unit tests: keeps reports, tells duplicates. */
final class MemorySink implements ReportSink {
  final List<AggregateReport> aggregates = new ArrayList<>();
  final List<FailureReport> failures = new ArrayList<>();
  private final Set<List<String>> keys = new HashSet<>();
  private final Set<String> failureKeys = new HashSet<>();
  long records;

  @Override
  public AggregateWriter begin(ReportMetadata metadata, String source) {
    List<String> key = List.of(metadata.orgName(), metadata.reportId(), metadata.domain());
    if (keys.contains(key)) {
      return null;
    }
    List<ReportRecord> rows = new ArrayList<>();
    return new AggregateWriter() {
      boolean committed;

      @Override
      public void record(ReportRecord record) {
        if (rows.size() < 1000) {
          rows.add(record);
        }
        records++;
      }

      @Override
      public void commit() {
        committed = true;
        keys.add(key);
        aggregates.add(new AggregateReport(metadata, rows));
      }

      @Override
      public void close() {
        if (!committed) {
          rows.clear();
        }
      }
    };
  }

  @Override
  public boolean failure(FailureReport report, String source) {
    String key = report.reportMessageId().isEmpty() ? report.toString() : report.reportMessageId();
    if (!failureKeys.add(key)) {
      return false;
    }
    failures.add(report);
    return true;
  }
}
