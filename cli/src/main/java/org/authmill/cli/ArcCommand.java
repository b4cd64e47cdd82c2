package org.authmill.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code authmill arc}: ARC (RFC 8617) chain verification and sealing. */
@Command(
    name = "arc",
    mixinStandardHelpOptions = true,
    description = "Verify a message's ARC chain, or seal it with a new ARC set (RFC 8617).",
    subcommands = {ArcVerifyCommand.class, ArcSealCommand.class})
final class ArcCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
