package org.authmill.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code authmill record spf|dmarc ...}: build DNS records from options and lint published ones
 * (SPF records, RFC 7208 §3; DMARC records, RFC 9989 §4.7).
 */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = "Build and lint DNS records for mail authentication.",
    subcommands = {RecordDmarcCommand.class})
final class RecordCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
