package org.authmill.cli;

import java.io.PrintWriter;
import org.authmill.server.ConfigException;
import picocli.CommandLine;

/** The entry point of the {@code authmill} command. */
public final class Authmill {
  private Authmill() {}

  /** Runs the command (for {@code serve}: until it stops) and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status, printing to standard output and error. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output streams, for tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  /** The configured picocli command line. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new AuthmillCommand());
    cli.setExecutionExceptionHandler(
        (exception, commandLine, parseResult) -> {
          if (exception instanceof InputException || exception instanceof ConfigException) {
            commandLine.getErr().println("authmill: " + exception.getMessage());
            return ExitCodes.USAGE;
          }
          throw exception;
        });
    return cli;
  }
}
