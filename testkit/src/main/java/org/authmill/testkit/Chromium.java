package org.authmill.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Headless Chromium for browser tests: the Debian {@code chromium} browser and its {@code
 * chromedriver} (package {@code chromium-driver}), with the flags that keep it from reaching the
 * network or any profile (a fresh {@code --user-data-dir} per run). Skips or fails (in CI) as
 * {@link Peers} does when either is missing.
 *
 * @param browser the chromium executable
 * @param driver the chromedriver executable
 * @param userDataDir a new, empty profile directory
 */
public record Chromium(Path browser, Path driver, Path userDataDir) {
  /** The command-line flags the browser runs with. */
  public List<String> arguments() {
    return List.of(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--window-size=1280,1800",
        "--user-data-dir=" + userDataDir);
  }

  /** Finds the browser and driver, with a fresh profile under {@code tempDir}. */
  public static Chromium find(Path tempDir) {
    Path browser = Peers.command("chromium", "chromium");
    Path driver = Peers.command("chromedriver", "chromium-driver");
    try {
      return new Chromium(browser, driver, Files.createTempDirectory(tempDir, "chromium-profile"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a Chromium profile directory", e);
    }
  }
}
