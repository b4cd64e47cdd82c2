package org.authmill.report;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.authmill.store.Dialect;
import org.authmill.store.StoreLocation;
import org.authmill.testkit.PostgresServer;

/**
 * The two store backends the store's tests run against: an embedded SQLite file in a temporary
 * directory, and a fresh database of one PostgreSQL server shared by a test class (started on first
 * use, skipped or failed as testkit decides when PostgreSQL is missing).
 */
final class Backends implements AutoCloseable {
  private PostgresServer postgres;

  static Stream<Dialect> both() {
    return Stream.of(Dialect.SQLITE, Dialect.POSTGRESQL);
  }

  /** A new, empty store location of a dialect. */
  synchronized StoreLocation fresh(Dialect dialect, Path tempDir) {
    if (dialect == Dialect.SQLITE) {
      return StoreLocation.embedded(tempDir.resolve("state"));
    }
    if (postgres == null) {
      postgres = PostgresServer.start();
    }
    return StoreLocation.url(postgres.createDatabase());
  }

  /** The shared server, once a PostgreSQL location was made. */
  synchronized PostgresServer postgres() {
    return postgres;
  }

  @Override
  public synchronized void close() {
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }
}
