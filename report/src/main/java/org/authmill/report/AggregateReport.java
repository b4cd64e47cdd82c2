package org.authmill.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One DMARC aggregate report (RFC 9990 §3.1): for a single DMARC Policy Domain and period, the
 * metadata, the policy published and at least one record.
 *
 * @param metadata the {@code report_metadata}
 * @param published the {@code policy_published}
 * @param records the records, each row once
 */
public record AggregateReport(
    ReportMetadata metadata, PolicyPublished published, List<CountedRow> records) {
  public AggregateReport {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(published, "published");
    records = List.copyOf(records);
    if (records.isEmpty()) {
      throw new IllegalArgumentException(
          "an aggregate report holds at least one record (RFC 9990 §3.1.1.2)");
    }
  }

  /** Rows equal in content merged, counts summed, in first-seen order. */
  public static List<CountedRow> merge(List<StoredRow> rows) {
    Map<ReportRow, Long> counts = new LinkedHashMap<>();
    for (StoredRow r : rows) {
      counts.merge(r.row(), r.count(), Long::sum);
    }
    List<CountedRow> list = new ArrayList<>();
    counts.forEach((row, n) -> list.add(new CountedRow(row, n)));
    return list;
  }

  /** The total number of messages. */
  public long messageCount() {
    return records.stream().mapToLong(CountedRow::count).sum();
  }
}
