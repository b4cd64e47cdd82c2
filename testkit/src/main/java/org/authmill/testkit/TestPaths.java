package org.authmill.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests' data lives: the project's own vectors in {@code testdata/}, and the public
 * conformance suites in {@code ../shared/testsuites/}, which are read in place and never copied
 * into the project.
 */
public final class TestPaths {
  private TestPaths() {}

  /**
   * A file or folder under the public suites (system property {@code authmill.testsuites}, default
   * {@code ../shared/testsuites} beside the checkout). When it is absent the calling test is
   * skipped with a message, or fails in CI.
   */
  public static Path suite(String relative) {
    Path root = Path.of(System.getProperty("authmill.testsuites", "../../shared/testsuites"));
    Path path = root.resolve(relative);
    if (!Files.exists(path)) {
      return Peers.missing(
          "the conformance suite file "
              + path.toAbsolutePath().normalize()
              + " (set -Dauthmill.testsuites=DIR to where ../shared/testsuites is)");
    }
    return path;
  }

  /** A file or folder under the project's {@code testdata/}; it must exist. */
  public static Path testdata(String relative) {
    Path root = Path.of(System.getProperty("authmill.testdata", "../testdata"));
    Path path = root.resolve(relative);
    if (!Files.exists(path)) {
      throw new IllegalStateException("missing test vector " + path.toAbsolutePath().normalize());
    }
    return path;
  }
}
