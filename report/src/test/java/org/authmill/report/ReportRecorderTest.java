package org.authmill.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.authmill.store.Dialect;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReportRecorderTest {
  private static final Backends BACKENDS = new Backends();
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir Path tempDir;

  static Stream<Dialect> dialects() {
    return Backends.both();
  }

  @AfterAll
  static void stopServers() {
    BACKENDS.close();
  }

  private static ReportRecorder recorder(Store store, SimpleMeterRegistry registry) {
    return ReportRecorder.builder(store).flushInterval(Duration.ZERO).registry(registry).build();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void flush_equalRowsAreCountedOnce(Dialect dialect) {
    try (Store store = Store.builder(BACKENDS.fresh(dialect, tempDir)).build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ReportRecorder recorder = recorder(store, registry);
      for (int i = 0; i < 10; i++) {
        recorder.record(
            Events.event(
                T0.plusSeconds(i), "192.0.2.1", "example.com", true, "mailto:d@example.com"));
      }
      for (int i = 0; i < 3; i++) {
        recorder.record(
            Events.event(T0, "192.0.2.9", "example.com", false, "mailto:d@example.com"));
      }
      assertThat(recorder.heldRows()).isEqualTo(2);
      assertThat(recorder.flush()).isTrue();
      assertThat(recorder.heldRows()).isZero();
      List<StoredRow> rows = new ReportReader(store).rows(Optional.empty(), 0, Long.MAX_VALUE);
      assertThat(rows).extracting(StoredRow::count).containsExactly(10L, 3L);
      assertThat(rows.get(0).row()).isEqualTo(Events.row("192.0.2.1", "example.com", true));
      assertThat(rows.get(1).row()).isEqualTo(Events.row("192.0.2.9", "example.com", false));
      assertThat(rows.get(0).periodStart())
          .isEqualTo(Instant.parse("2026-11-30T00:00:00Z").getEpochSecond());
      assertThat(rows.get(0).periodEnd() - rows.get(0).periodStart()).isEqualTo(86399);
      assertThat(registry.counter(ReportMetrics.RECORDED).count()).isEqualTo(13);
      recorder.close();
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void flush_twoInstancesAddTheirCounts(Dialect dialect) {
    StoreLocation location = BACKENDS.fresh(dialect, tempDir);
    try (Store one = Store.builder(location).build();
        Store two = Store.builder(location).build()) {
      ReportRecorder a = recorder(one, new SimpleMeterRegistry());
      ReportRecorder b = recorder(two, new SimpleMeterRegistry());
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5; i++) {
          a.record(Events.event(T0, "192.0.2.1", "example.com", true, "mailto:d@example.com"));
          b.record(Events.event(T0, "192.0.2.1", "example.com", true, "mailto:d@example.com"));
        }
        b.record(Events.event(T0, "192.0.2.2", "example.com", true, "mailto:d@example.com"));
        assertThat(a.flush()).isTrue();
        assertThat(b.flush()).isTrue();
      }
      List<StoredRow> rows =
          new ReportReader(one).rows(Optional.of("example.com"), 0, Long.MAX_VALUE);
      assertThat(rows).extracting(StoredRow::count).containsExactly(30L, 3L);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void flush_lastPolicySeenInThePeriodWins(Dialect dialect) {
    try (Store store = Store.builder(BACKENDS.fresh(dialect, tempDir)).build()) {
      ReportRecorder recorder = recorder(store, new SimpleMeterRegistry());
      ReportRow row = Events.row("192.0.2.1", "example.com", true);
      PolicyPublished none =
          new PolicyPublished(
              "example.com",
              "none",
              Optional.empty(),
              Optional.empty(),
              "r",
              "r",
              "treewalk",
              "0",
              "y",
              "n");
      recorder.record(
          new ReportEvent(
              T0.plusSeconds(60),
              row,
              Events.policy("example.com"),
              "example.com",
              List.of("mailto:new@example.com")));
      recorder.flush();
      recorder.record(
          new ReportEvent(T0, row, none, "example.com", List.of("mailto:old@example.com")));
      recorder.flush();
      ReporterIdentity me = ReporterIdentity.of("Receiver", "reports@receiver.example");
      AggregateReport report =
          new ReportReader(store).report(me, "example.com", 0, Long.MAX_VALUE).orElseThrow();
      assertThat(report.published()).isEqualTo(Events.policy("example.com"));
      assertThat(report.records()).containsExactly(new CountedRow(row, 2));
    }
  }

  @Test
  void record_beyondTheBoundIsCountedAsDropped() {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ReportRecorder recorder =
          ReportRecorder.builder(store)
              .flushInterval(Duration.ZERO)
              .maxHeldRows(2)
              .registry(registry)
              .build();
      recorder.record(Events.event(T0, "192.0.2.1", "example.com", true, "mailto:d@example.com"));
      recorder.record(Events.event(T0, "192.0.2.2", "example.com", true, "mailto:d@example.com"));
      recorder.record(Events.event(T0, "192.0.2.3", "example.com", true, "mailto:d@example.com"));
      recorder.record(Events.event(T0, "192.0.2.1", "example.com", true, "mailto:d@example.com"));
      assertThat(registry.counter(ReportMetrics.DROPPED).count()).isEqualTo(1);
      assertThat(registry.counter(ReportMetrics.RECORDED).count()).isEqualTo(3);
      recorder.close();
      assertThat(new ReportReader(store).rows(Optional.empty(), 0, Long.MAX_VALUE))
          .extracting(StoredRow::count)
          .containsExactlyInAnyOrder(2L, 1L);
    }
  }

  @Test
  void flushEnded_writesOnlyOnceAHeldPeriodHasEnded() {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      ReportRecorder recorder =
          ReportRecorder.builder(store)
              .flushInterval(Duration.ZERO)
              .period(new ReportPeriod(Duration.ofHours(1)))
              .build();
      recorder.record(Events.event(T0, "192.0.2.1", "example.com", true, "mailto:d@example.com"));
      ReportReader reader = new ReportReader(store);
      assertThat(recorder.flushEnded(T0.plus(Duration.ofMinutes(59)))).isFalse();
      assertThat(reader.rows(Optional.empty(), 0, Long.MAX_VALUE)).isEmpty();
      assertThat(recorder.heldRows()).isEqualTo(1);
      assertThat(recorder.flushEnded(T0.plus(Duration.ofHours(1)))).isTrue();
      assertThat(reader.rows(Optional.empty(), 0, Long.MAX_VALUE))
          .extracting(StoredRow::count)
          .containsExactly(1L);
      assertThat(recorder.heldRows()).isZero();
      recorder.close();
    }
  }

  @Test
  void flush_scheduledFlushWritesWithoutBeingAsked() throws Exception {
    try (Store store = Store.builder(StoreLocation.embedded(tempDir)).build()) {
      ReportRecorder recorder =
          ReportRecorder.builder(store).flushInterval(Duration.ofMillis(100)).build();
      recorder.record(Events.event(T0, "192.0.2.1", "example.com", true, "mailto:d@example.com"));
      ReportReader reader = new ReportReader(store);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (reader.rows(Optional.empty(), 0, Long.MAX_VALUE).isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(reader.rows(Optional.empty(), 0, Long.MAX_VALUE)).hasSize(1);
      recorder.close();
    }
  }

  @Test
  void flush_postgresDownHoldsCountsUpToTheBoundAndWritesThemWhenBack() throws Exception {
    StoreLocation location = BACKENDS.fresh(Dialect.POSTGRESQL, tempDir);
    try (Store store = Store.builder(location).connectionTimeout(Duration.ofMillis(500)).build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ReportRecorder recorder =
          ReportRecorder.builder(store)
              .flushInterval(Duration.ZERO)
              .maxHeldRows(3)
              .registry(registry)
              .build();
      recorder.record(Events.event(T0, "192.0.2.1", "example.com", true, "mailto:d@example.com"));
      assertThat(recorder.flush()).isTrue();
      BACKENDS.postgres().stop();
      for (int i = 0; i < 4; i++) {
        recorder.record(Events.event(T0, "192.0.2.1", "example.com", true, "mailto:d@example.com"));
        recorder.record(Events.event(T0, "192.0.2.2", "example.com", true, "mailto:d@example.com"));
      }
      assertThat(recorder.flush()).isFalse();
      assertThat(recorder.heldRows()).isEqualTo(2);
      recorder.record(Events.event(T0, "192.0.2.3", "example.com", true, "mailto:d@example.com"));
      recorder.record(Events.event(T0, "192.0.2.4", "example.com", true, "mailto:d@example.com"));
      assertThat(registry.counter(ReportMetrics.DROPPED).count()).isEqualTo(1);
      assertThat(recorder.flush()).isFalse();
      assertThat(registry.counter(ReportMetrics.FLUSH_FAILURES).count()).isEqualTo(2);
      assertThat(registry.get(ReportMetrics.FLUSH_LAG).gauge().value()).isGreaterThanOrEqualTo(0);
      BACKENDS.postgres().startAgain();
      // A pooled connection from before the restart may fail once; the counts stay held and the
      // next flush writes them.
      boolean written = false;
      for (int i = 0; i < 20 && !written; i++) {
        written = recorder.flush();
        if (!written) {
          Thread.sleep(200);
        }
      }
      assertThat(written).isTrue();
      List<StoredRow> rows = new ReportReader(store).rows(Optional.empty(), 0, Long.MAX_VALUE);
      assertThat(rows)
          .extracting(r -> r.row().sourceIp() + "=" + r.count())
          .containsExactlyInAnyOrder("192.0.2.1=5", "192.0.2.2=4", "192.0.2.3=1");
    }
  }
}
