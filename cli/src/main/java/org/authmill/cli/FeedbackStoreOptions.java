package org.authmill.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.authmill.feedback.FeedbackStore;
import org.authmill.store.Store;
import org.authmill.store.StoreException;
import org.authmill.store.StoreLocation;
import picocli.CommandLine.Option;

/**
 * Where the {@code feedback} subcommands keep received reports: the embedded store under {@code
 * --state-dir DIR} ({@code DIR/authmill.db}), or the database at {@code --report-store URL}.
 */
public final class FeedbackStoreOptions {
  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      defaultValue = "/var/lib/authmill",
      description = "State directory of the embedded store (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(
      names = "--report-store",
      paramLabel = "URL",
      description =
          "A JDBC URL (jdbc:postgresql://HOST:PORT/DB?user=U&password=P, or jdbc:sqlite:FILE)"
              + " instead of the embedded store.")
  String reportStore;

  /** Opens the store and migrates the feedback tables. */
  Store open() {
    try {
      return Store.builder(StoreLocation.of(stateDir, Optional.ofNullable(reportStore))).build();
    } catch (StoreException e) {
      throw new InputException(e.getMessage(), e);
    }
  }

  /** The feedback tables of an opened store. */
  static FeedbackStore feedback(Store store) {
    try {
      return FeedbackStore.open(store, Clock.systemUTC());
    } catch (StoreException e) {
      throw new InputException(e.getMessage(), e);
    }
  }
}
