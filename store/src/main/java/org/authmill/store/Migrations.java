package org.authmill.store;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The versioned schema migrations of one feature (such as {@code report} or {@code feedback}).
 *
 * <p>Every feature has its own Flyway history table, {@code authmill_history_FEATURE}, and its own
 * migration folders on the class path: {@code db/FEATURE/common} (SQL both dialects run) and {@code
 * db/FEATURE/sqlite} or {@code db/FEATURE/postgresql} (the dialect's own). Versions are numbered
 * per feature ({@code V1__...}, {@code V2__...}), so two features never share or reorder a version;
 * a feature's tables carry its name as prefix ({@code report_...}, {@code feedback_...}) so they
 * never share a table either. A feature migrating into a database that already holds another
 * feature's tables starts from a baseline of version 0, so all of its own migrations run.
 *
 * @param feature the feature name: a lower-case letter, then up to 30 lower-case letters, digits or
 *     underscores
 */
public record Migrations(String feature) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,30}");

  public Migrations {
    Objects.requireNonNull(feature, "feature");
    if (!NAME.matcher(feature).matches()) {
      throw new IllegalArgumentException(
          "feature name must be a lower-case letter then up to 30 of [a-z0-9_]: " + feature);
    }
  }

  /** The migrations of a feature. */
  public static Migrations of(String feature) {
    return new Migrations(feature);
  }

  /** The feature's Flyway history table. */
  public String historyTable() {
    return "authmill_history_" + feature;
  }

  /** The class-path folders whose migrations run on a dialect, common first. */
  public List<String> locations(Dialect dialect) {
    return List.of(
        "classpath:db/" + feature + "/common", "classpath:db/" + feature + "/" + dialect.keyword());
  }
}
