package org.authmill.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done with one connection of a {@link Store}, inside a transaction that commits when it
 * returns and rolls back when it throws.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlWork<T> {
  /** Does the work. */
  T apply(Connection connection) throws SQLException;
}
