package org.authmill.store;

/**
 * The SQL engines a {@link Store} runs on. Features write SQL both accept (such as {@code INSERT
 * ... ON CONFLICT (...) DO UPDATE SET n = t.n + excluded.n}, which SQLite has had since 3.24 and
 * PostgreSQL since 9.5) and keep the few differences (column types in migrations) in per-dialect
 * migration folders, see {@link Migrations}.
 */
public enum Dialect {
  /** The embedded default: one SQLite file, {@code DIR/authmill.db}. */
  SQLITE("sqlite"),
  /** PostgreSQL, shared by several filter instances. */
  POSTGRESQL("postgresql");

  private final String keyword;

  Dialect(String keyword) {
    this.keyword = keyword;
  }

  /** The lower-case name used in migration folder names: {@code sqlite}, {@code postgresql}. */
  public String keyword() {
    return keyword;
  }
}
