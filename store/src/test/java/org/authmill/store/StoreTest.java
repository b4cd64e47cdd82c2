package org.authmill.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoreTest {
  private static final Backends BACKENDS = new Backends();

  @TempDir Path tempDir;

  static java.util.stream.Stream<Dialect> dialects() {
    return Backends.both();
  }

  @AfterAll
  static void stopServers() {
    BACKENDS.close();
  }

  private Store open(Dialect dialect) {
    return Store.builder(BACKENDS.fresh(dialect, tempDir)).build();
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void migrate_appliesCommonAndDialectMigrationsOnce(Dialect dialect) {
    try (Store store = open(dialect)) {
      assertThat(store.dialect()).isEqualTo(dialect);
      assertThat(store.migrate(Migrations.of("storetest"))).isEqualTo(2);
      assertThat(store.migrate(Migrations.of("storetest"))).isZero();
      long id =
          store.inTransaction(
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO storetest_events (what) VALUES (?)")) {
                  ps.setString(1, "x");
                  ps.executeUpdate();
                }
                return count(c, "SELECT max(id) FROM storetest_events");
              });
      assertThat(id).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void migrate_twoFeaturesKeepSeparateHistories(Dialect dialect) {
    try (Store store = open(dialect)) {
      store.migrate(Migrations.of("storetest"));
      assertThat(store.migrate(Migrations.of("othertest"))).isEqualTo(1);
      store.inTransaction(
          c -> {
            assertThat(
                    count(
                        c,
                        "SELECT count(*) FROM authmill_history_storetest WHERE success AND"
                            + " version IN ('1','2')"))
                .isEqualTo(2);
            assertThat(
                    count(
                        c,
                        "SELECT count(*) FROM authmill_history_othertest WHERE success AND"
                            + " version = '1'"))
                .isEqualTo(1);
            c.createStatement().executeUpdate("INSERT INTO othertest_items VALUES ('a')");
            return null;
          });
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void inTransaction_concurrentUpsertsAddEveryCount(Dialect dialect) throws Exception {
    try (Store store = open(dialect)) {
      store.migrate(Migrations.of("storetest"));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    int n = i;
                    store.inTransaction(
                        c -> {
                          try (PreparedStatement ps =
                              c.prepareStatement(
                                  "INSERT INTO storetest_counts AS t (k, n) VALUES (?, ?)"
                                      + " ON CONFLICT (k) DO UPDATE SET n = t.n + excluded.n")) {
                            ps.setString(1, "shared");
                            ps.setLong(2, 2);
                            ps.addBatch();
                            ps.setString(1, "k" + (n % 5));
                            ps.setLong(2, 1);
                            ps.addBatch();
                            ps.executeBatch();
                          }
                          return null;
                        });
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      store.inTransaction(
          c -> {
            assertThat(count(c, "SELECT n FROM storetest_counts WHERE k = 'shared'"))
                .isEqualTo(400);
            assertThat(count(c, "SELECT sum(n) FROM storetest_counts WHERE k <> 'shared'"))
                .isEqualTo(200);
            assertThat(count(c, "SELECT n FROM storetest_counts WHERE k = 'k3'")).isEqualTo(40);
            return null;
          });
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void inTransaction_rollsBackWhenWorkThrows(Dialect dialect) {
    try (Store store = open(dialect)) {
      store.migrate(Migrations.of("storetest"));
      assertThatThrownBy(
              () ->
                  store.inTransaction(
                      c -> {
                        c.createStatement()
                            .executeUpdate("INSERT INTO storetest_counts VALUES ('a', 1)");
                        c.createStatement()
                            .executeUpdate("INSERT INTO storetest_counts VALUES ('a', 1)");
                        return null;
                      }))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("store ");
      long left = store.inTransaction(c -> count(c, "SELECT count(*) FROM storetest_counts"));
      assertThat(left).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void build_reopenedStoreKeepsDataAndSchema(Dialect dialect) {
    StoreLocation location = BACKENDS.fresh(dialect, tempDir);
    try (Store store = Store.builder(location).build()) {
      store.migrate(Migrations.of("storetest"));
      store.inTransaction(
          c -> c.createStatement().executeUpdate("INSERT INTO storetest_counts VALUES ('a', 7)"));
    }
    try (Store store = Store.builder(location).build()) {
      assertThat(store.migrate(Migrations.of("storetest"))).isZero();
      long n = store.inTransaction(c -> count(c, "SELECT n FROM storetest_counts"));
      assertThat(n).isEqualTo(7);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void migrate_failingMigrationNamesTheFeature(Dialect dialect) {
    try (Store store = open(dialect)) {
      assertThatThrownBy(() -> store.migrate(Migrations.of("brokentest")))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("migrating brokentest");
    }
  }

  static long count(java.sql.Connection c, String sql) throws java.sql.SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
