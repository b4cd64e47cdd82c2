package org.authmill.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code authmill record spf|dmarc ...}: build and lint DNS records (SPF records, RFC 7208 §3;
 * DMARC records, RFC 9989 §4.7); lists its subcommands.
 */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = "Build and lint the DNS records of SPF and DMARC.",
    subcommands = {RecordSpfCommand.class, RecordDmarcCommand.class})
final class RecordCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
