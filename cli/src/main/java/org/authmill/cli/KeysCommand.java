package org.authmill.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code authmill keys}: DKIM key rotation without downtime (see {@link org.authmill.keys}); the
 * work is in its subcommands.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "Rotate DKIM keys: publish by DNS UPDATE (or by hand), sign only when every authoritative"
          + " name server serves the new key, retire the old one after its TTL and a window.",
    },
    subcommands = {
      KeysRotateCommand.class,
      KeysStatusCommand.class,
      KeysConfirmCommand.class,
      KeysRetireCommand.class
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:done",
      "1:a step failed for a reason to fix (TSIG key, UPDATE refused, zone not found)",
      "2:bad usage or input",
      "75:a step waits (name servers, confirmation); it resumes later"
    })
final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
