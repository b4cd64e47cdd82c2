package org.authmill.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.authmill.keys.KeyRotator;
import org.authmill.keys.KeyStore;
import picocli.CommandLine.Option;

/** The options every {@code keys} subcommand shares: where the state is, how long to wait. */
final class KeysStateOptions {
  /** The default state directory, shared with the reporting store. */
  static final String DEFAULT_STATE_DIR = "/var/lib/authmill";

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      defaultValue = DEFAULT_STATE_DIR,
      description = "Where the key state lives, under DIR/keys/ (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "300s",
      description =
          "How long to wait for every authoritative server to serve a new record"
              + " (default: ${DEFAULT-VALUE}).")
  String waitText;

  @Option(
      names = "--dns-timeout",
      paramLabel = "DURATION",
      defaultValue = "3s",
      description = "Timeout of each UPDATE and query (default: ${DEFAULT-VALUE}).")
  String timeoutText;

  KeyStore store() {
    return KeyStore.at(stateDir);
  }

  KeyRotator rotator() {
    Duration timeout = KeysText.duration("--dns-timeout", timeoutText);
    return KeyRotator.builder(store())
        .verifyWait(KeysText.duration("--wait", waitText))
        .updateTimeout(timeout)
        .queryTimeout(timeout)
        .build();
  }
}
