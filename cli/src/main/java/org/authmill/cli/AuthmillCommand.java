package org.authmill.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code authmill}: the top-level command; it only lists its subcommands. */
@Command(
    name = "authmill",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "SPF, DKIM and DMARC for mail operators: a milter filter and the tools around it.",
    subcommands = {
      ServeCommand.class,
      CheckCommand.class,
      SpfCommand.class,
      VerifyCommand.class,
      SignCommand.class,
      KeygenCommand.class,
      TestkeyCommand.class,
      RecordCommand.class,
      LookupCommand.class
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:pass",
      "1:any other verdict",
      "2:bad usage or input",
      "75:temporary failure (DNS)"
    })
final class AuthmillCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
