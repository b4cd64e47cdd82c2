package org.authmill.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a {@link Store} lives: the embedded SQLite file {@code DIR/authmill.db} under a state
 * directory ({@code --state-dir}), or a JDBC URL ({@code --report-store jdbc:postgresql://...}).
 *
 * @param jdbcUrl the JDBC URL the pool opens
 * @param dialect the SQL engine behind it
 * @param stateDirectory the state directory of an embedded store, else empty
 */
public record StoreLocation(String jdbcUrl, Dialect dialect, Optional<Path> stateDirectory) {
  /** The file name of the embedded store inside the state directory. */
  public static final String EMBEDDED_FILE = "authmill.db";

  private static final Pattern PASSWORD =
      Pattern.compile("(?i)(password=)[^&;]*|(//[^/@:]+:)[^/@]*(@)");

  public StoreLocation {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(stateDirectory, "stateDirectory");
  }

  /** The embedded store: SQLite file {@code authmill.db} in {@code stateDirectory}. */
  public static StoreLocation embedded(Path stateDirectory) {
    Path file = stateDirectory.toAbsolutePath().resolve(EMBEDDED_FILE);
    return new StoreLocation("jdbc:sqlite:" + file, Dialect.SQLITE, Optional.of(stateDirectory));
  }

  /**
   * A store given by JDBC URL: {@code jdbc:postgresql://host:port/db?user=...&password=...} or
   * {@code jdbc:sqlite:/path/file.db}.
   *
   * @throws StoreException naming the URL when it is neither
   */
  public static StoreLocation url(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    String url = jdbcUrl.strip();
    if (url.startsWith("jdbc:postgresql:")) {
      return new StoreLocation(url, Dialect.POSTGRESQL, Optional.empty());
    }
    if (url.startsWith("jdbc:sqlite:") && url.length() > "jdbc:sqlite:".length()) {
      return new StoreLocation(url, Dialect.SQLITE, Optional.empty());
    }
    throw new StoreException(
        "store URL must start with jdbc:postgresql: or jdbc:sqlite:, got: " + redact(url));
  }

  /**
   * The location the command-line options give: the URL when one is given ({@code --report-store}),
   * else the embedded store in the state directory ({@code --state-dir}).
   */
  public static StoreLocation of(Path stateDirectory, Optional<String> jdbcUrl) {
    return jdbcUrl
        .filter(u -> !u.isBlank())
        .map(StoreLocation::url)
        .orElseGet(() -> embedded(stateDirectory));
  }

  /** The URL with any password replaced by {@code ***}, for messages and logs. */
  public String redacted() {
    return redact(jdbcUrl);
  }

  static String redact(String url) {
    return PASSWORD
        .matcher(url)
        .replaceAll(m -> m.group(1) != null ? m.group(1) + "***" : m.group(2) + "***" + m.group(3));
  }

  @Override
  public String toString() {
    return redacted();
  }
}
