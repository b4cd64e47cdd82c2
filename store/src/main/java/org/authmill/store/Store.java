package org.authmill.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The persistent store that reporting features share: an embedded SQLite file ({@code
 * DIR/authmill.db}, WAL journal, a busy timeout, write transactions begun {@code IMMEDIATE}) or
 * PostgreSQL, behind a HikariCP connection pool, with per-feature versioned migrations ({@link
 * Migrations}, run by Flyway).
 *
 * <pre>{@code
 * try (Store store = Store.builder(StoreLocation.embedded(stateDir)).build()) {
 *   store.migrate(Migrations.of("report"));
 *   store.inTransaction(c -> { ... });
 * }
 * }</pre>
 *
 * <p>Counts that several writers add to are merged by atomic upsert ({@code INSERT ... ON CONFLICT
 * (...) DO UPDATE SET n = t.n + excluded.n}), never by read-modify-write; both dialects run that
 * statement.
 */
public final class Store implements AutoCloseable {
  private final StoreLocation location;
  private final HikariDataSource pool;

  private Store(StoreLocation location, HikariDataSource pool) {
    this.location = location;
    this.pool = pool;
  }

  /** A builder for a store at a location. */
  public static Builder builder(StoreLocation location) {
    return new Builder(location);
  }

  /** Where this store lives. */
  public StoreLocation location() {
    return location;
  }

  /** The SQL engine. */
  public Dialect dialect() {
    return location.dialect();
  }

  /** The pooled data source, for work that manages its own transactions. */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * Applies a feature's pending migrations; safe to call from several processes at once (Flyway
   * locks the history table).
   *
   * @return how many migrations were applied
   * @throws StoreException when a migration fails or the database is unreachable
   */
  public int migrate(Migrations migrations) {
    Objects.requireNonNull(migrations, "migrations");
    try {
      Flyway flyway =
          Flyway.configure(Store.class.getClassLoader())
              .dataSource(pool)
              .table(migrations.historyTable())
              .locations(migrations.locations(dialect()).toArray(String[]::new))
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .baselineDescription("before " + migrations.feature())
              .load();
      MigrateResult result = flyway.migrate();
      return result.migrationsExecuted;
    } catch (FlywayException e) {
      throw new StoreException(
          "migrating "
              + migrations.feature()
              + " in "
              + location.redacted()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Runs work in one transaction: commits when it returns, rolls back when it throws.
   *
   * @throws StoreException wrapping any {@link SQLException}, naming the store
   */
  public <T> T inTransaction(SqlWork<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("store " + location.redacted() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "Store[" + location.redacted() + "]";
  }

  /** Options of a {@link Store}. */
  public static final class Builder {
    private final StoreLocation location;
    private int maxPoolSize = 4;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private Duration busyTimeout = Duration.ofSeconds(10);

    private Builder(StoreLocation location) {
      this.location = Objects.requireNonNull(location, "location");
    }

    /** The most connections the pool opens (default 4). */
    public Builder maxPoolSize(int size) {
      if (size < 1 || size > 100) {
        throw new IllegalArgumentException("pool size must be 1 to 100: " + size);
      }
      this.maxPoolSize = size;
      return this;
    }

    /**
     * How long a caller waits for a connection before the operation fails (default 5 s; at least
     * 250 ms). With the database down, a flush fails after this long.
     */
    public Builder connectionTimeout(Duration timeout) {
      if (timeout.toMillis() < 250) {
        throw new IllegalArgumentException("connection timeout must be at least 250 ms");
      }
      this.connectionTimeout = timeout;
      return this;
    }

    /** How long SQLite waits for another writer's lock (default 10 s). */
    public Builder busyTimeout(Duration timeout) {
      this.busyTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Opens the pool (creating the state directory of an embedded store).
     *
     * @throws StoreException naming the store when it cannot be reached
     */
    public Store build() {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(location.jdbcUrl());
      config.setPoolName("authmill-store");
      config.setMaximumPoolSize(maxPoolSize);
      config.setMinimumIdle(1);
      config.setConnectionTimeout(connectionTimeout.toMillis());
      config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 5000));
      if (location.dialect() == Dialect.SQLITE) {
        location.stateDirectory().ifPresent(Builder::createDirectory);
        config.setDriverClassName("org.sqlite.JDBC");
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", Long.toString(busyTimeout.toMillis()));
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        config.addDataSourceProperty("foreign_keys", "true");
      } else {
        config.setDriverClassName("org.postgresql.Driver");
        config.addDataSourceProperty("ApplicationName", "authmill");
        config.addDataSourceProperty(
            "connectTimeout", Long.toString(Math.max(1, connectionTimeout.toSeconds())));
      }
      try {
        return new Store(location, new HikariDataSource(config));
      } catch (RuntimeException e) {
        throw new StoreException(
            "cannot open store " + location.redacted() + ": " + rootMessage(e), e);
      }
    }

    private static void createDirectory(Path dir) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new StoreException("cannot create state directory " + dir + ": " + e.getMessage(), e);
      }
    }

    private static String rootMessage(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      return t.getMessage();
    }
  }
}
