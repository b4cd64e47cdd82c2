package org.authmill.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.authmill.testkit.PostgresServer;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The feedback tables on PostgreSQL (a real server from testkit): the samples import with the same
 * counts as on SQLite, a re-import and a racing second import store nothing twice, and the summary
 * agrees.
 */
class PostgresFeedbackStoreTest {
  @Test
  @Timeout(180)
  void importPaths_postgres_sameCountsAndDeduplicated() throws Exception {
    try (PostgresServer postgres = PostgresServer.start();
        Store store = Store.builder(StoreLocation.url(postgres.createDatabase())).build()) {
      FeedbackStore sink = FeedbackStore.open(store, SampleReportsTest.CLOCK);
      ImportOutcome first =
          FeedbackImporter.builder(sink).build().importPaths(List.of(TestPaths.suite("dmarc")));
      assertThat(first.failures()).isEmpty();
      assertThat(first.duplicates()).isEqualTo(6);
      long[] counts = new FeedbackQueries(store).counts();
      assertThat(counts[0] + counts[2]).isEqualTo(first.imported());

      ImportOutcome second =
          FeedbackImporter.builder(sink).build().importPaths(List.of(TestPaths.suite("dmarc")));
      assertThat(second.imported()).isZero();
      assertThat(new FeedbackQueries(store).counts()).containsExactly(counts);

      // Two imports of one new report at once: one stores it, the other sees a duplicate.
      byte[] report =
          Generated.report(
              "race.example", "r-1", "example.com", Generated.record("192.0.2.7", 5, true));
      FeedbackImporter a = FeedbackImporter.builder(sink).build();
      FeedbackImporter b = FeedbackImporter.builder(sink).build();
      CompletableFuture.allOf(
              CompletableFuture.runAsync(
                  () -> a.importPayload("a", new ByteArrayInputStream(report))),
              CompletableFuture.runAsync(
                  () -> b.importPayload("b", new ByteArrayInputStream(report))))
          .join();
      assertThat(a.outcome().imported() + b.outcome().imported()).isEqualTo(1);
      assertThat(a.outcome().duplicates() + b.outcome().duplicates()).isEqualTo(1);

      FeedbackSummary s =
          new FeedbackQueries(store).summary("example.com", Instant.EPOCH, ip -> "");
      assertThat(s.messages()).isEqualTo(145 + 5);
      assertThat(s.sources()).anyMatch(x -> x.sourceIp().equals("192.0.2.7") && x.dmarcPass() == 5);
    }
  }
}
