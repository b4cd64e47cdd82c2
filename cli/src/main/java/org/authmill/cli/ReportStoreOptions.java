package org.authmill.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.authmill.store.Store;
import org.authmill.store.StoreException;
import org.authmill.store.StoreLocation;
import picocli.CommandLine.Option;

/**
 * Where the report store is, for every {@code report} subcommand (and {@code serve}): {@code
 * --state-dir DIR} (the embedded SQLite file {@code DIR/authmill.db}, default {@code
 * /var/lib/authmill}) or {@code --report-store jdbc:postgresql://...}.
 */
final class ReportStoreOptions {
  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      defaultValue = "/var/lib/authmill",
      description =
          "State directory of the embedded store DIR/authmill.db (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(
      names = "--report-store",
      paramLabel = "URL",
      description =
          "A JDBC URL such as jdbc:postgresql://HOST:PORT/DB?user=U&password=P instead of the embedded store.")
  String url;

  /** The location these options name. */
  StoreLocation location() {
    try {
      return StoreLocation.of(stateDir, Optional.ofNullable(url));
    } catch (StoreException e) {
      throw new InputException("--report-store: " + e.getMessage(), e);
    }
  }

  /** Opens the store. */
  Store open() {
    return Store.builder(location()).build();
  }
}
