package org.authmill.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.authmill.store.Store;

/**
 * Reads what is recorded: the rows behind {@code authmill report show}, and the aggregate report of
 * a policy domain over a time range behind {@code authmill report xml}.
 */
public final class ReportReader {
  private final Store store;

  /** A reader of a store; applies the report migrations so that an empty store reads as empty. */
  public ReportReader(Store store) {
    this.store = Objects.requireNonNull(store, "store");
    store.migrate(RowStore.MIGRATIONS);
  }

  /**
   * The stored rows whose period overlaps {@code [since, until]} (seconds since the epoch), for one
   * policy domain or all.
   */
  public List<StoredRow> rows(Optional<String> domain, long since, long until) {
    return store.inTransaction(
        c -> RowStore.rows(c, domain.map(d -> d.toLowerCase(java.util.Locale.ROOT)), since, until));
  }

  /**
   * The aggregate report of a policy domain for the periods overlapping {@code [since, until]}:
   * equal rows merged, the date range spanning those periods, the last policy seen. Empty when
   * nothing is recorded.
   */
  public Optional<AggregateReport> report(
      ReporterIdentity identity, String domain, long since, long until) {
    String d = domain.toLowerCase(java.util.Locale.ROOT);
    return store.inTransaction(
        c -> {
          List<StoredRow> rows = RowStore.rows(c, Optional.of(d), since, until);
          List<StoredPolicy> policies = RowStore.policies(c, d, since, until);
          if (rows.isEmpty() || policies.isEmpty()) {
            return Optional.empty();
          }
          long begin = rows.stream().mapToLong(StoredRow::periodStart).min().getAsLong();
          long end = rows.stream().mapToLong(StoredRow::periodEnd).max().getAsLong();
          StoredPolicy last = policies.get(policies.size() - 1);
          String id = identity.reportId(d, begin, 1, 1);
          return Optional.of(
              new AggregateReport(
                  identity.metadata(id, begin, end),
                  last.published(),
                  AggregateReport.merge(rows)));
        });
  }
}
