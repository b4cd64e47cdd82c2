package org.authmill.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code authmill record spf|dmarc ...}: build and lint DNS records; lists its subcommands. */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = "Build and lint the DNS records of SPF and DMARC.",
    subcommands = {RecordSpfCommand.class})
final class RecordCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
