package org.authmill.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Instant;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report of 1,000,000 records, generated while it is read, imports into the embedded store in
 * bounded memory: the live heap, sampled after a GC every 100,000 records, stays far below what
 * holding the records would take (about 1 KB each).
 */
class LargeReportTest {
  private static final long ROWS = 1_000_000;

  @Test
  @Timeout(600)
  void importPayload_millionRecords_boundedMemory(@TempDir Path tmp) throws IOException {
    long[] peak = new long[1];
    long started = System.nanoTime();
    try (Store store = Store.builder(StoreLocation.embedded(tmp)).build()) {
      FeedbackStore real = FeedbackStore.open(store, SampleReportsTest.CLOCK);
      ReportSink sampling =
          new ReportSink() {
            @Override
            public AggregateWriter begin(ReportMetadata metadata, String source)
                throws IOException {
              AggregateWriter writer = real.begin(metadata, source);
              return new AggregateWriter() {
                long n;

                @Override
                public void record(ReportRecord record) throws IOException {
                  writer.record(record);
                  if (++n % 100_000 == 0) {
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
                  }
                }

                @Override
                public void commit() throws IOException {
                  writer.commit();
                }

                @Override
                public void close() throws IOException {
                  writer.close();
                }
              };
            }

            @Override
            public boolean failure(FailureReport report, String source) throws IOException {
              return real.failure(report, source);
            }
          };
      FeedbackImporter importer = FeedbackImporter.builder(sampling).build();
      importer.importPayload("generated", Generated.largeReport(ROWS));
      ImportOutcome outcome = importer.outcome();
      assertThat(outcome.failures()).isEmpty();
      assertThat(outcome.imported()).isEqualTo(1);
      System.out.printf(
          "LargeReportTest: %d records imported in %.1f s%n",
          ROWS, (System.nanoTime() - started) / 1e9);

      long[] counts = new FeedbackQueries(store).counts();
      assertThat(counts[0]).isEqualTo(1);
      assertThat(counts[1]).isEqualTo(ROWS);
      long messages =
          store.inTransaction(
              c -> {
                try (ResultSet rs =
                    c.createStatement()
                        .executeQuery("SELECT messages, records FROM feedback_report")) {
                  rs.next();
                  assertThat(rs.getLong(2)).isEqualTo(ROWS);
                  return rs.getLong(1);
                }
              });
      assertThat(messages).isEqualTo(Generated.largeReportMessages(ROWS));
      FeedbackSummary summary =
          new FeedbackQueries(store).summary("example.com", Instant.EPOCH, ip -> "");
      assertThat(summary.messages()).isEqualTo(messages);
      assertThat(summary.sources()).hasSize(Generated.SOURCES);
    }
    // A million records held in memory would take hundreds of MB; streaming keeps the live
    // heap near the store's and parser's buffers.
    assertThat(peak[0]).isLessThan(96L << 20);
  }
}
