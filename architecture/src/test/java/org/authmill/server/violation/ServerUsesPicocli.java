package org.authmill.server.violation;

import picocli.CommandLine;

/** Breaks {@code filterServer_importsNoCli}: the filter that uses picocli. */
public final class ServerUsesPicocli {
  private ServerUsesPicocli() {}

  static int run(CommandLine command, String... args) {
    return command.execute(args);
  }
}
