package org.authmill.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.authmill.keys.Durations;
import org.authmill.keys.RotationOutcome;

/** Shared pieces of the {@code keys} subcommands: option parsing, outcome printing, exit status. */
final class KeysText {
  private KeysText() {}

  static Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InputException(option + " " + e.getMessage());
    }
  }

  /** Prints each outcome on its own line(s) and returns the exit status of the worst. */
  static int report(PrintWriter out, PrintWriter err, List<RotationOutcome> outcomes) {
    for (RotationOutcome o : outcomes) {
      String prefix =
          switch (o.status()) {
            case DONE -> "";
            case WAITING -> "waiting: ";
            case FAILED -> "failed: ";
          };
      (o.status() == RotationOutcome.Status.FAILED ? err : out).println(prefix + o.message());
    }
    out.flush();
    err.flush();
    return switch (RotationOutcome.worst(outcomes)) {
      case DONE -> ExitCodes.PASS;
      case WAITING -> ExitCodes.TEMPFAIL;
      case FAILED -> ExitCodes.NOT_PASS;
    };
  }
}
