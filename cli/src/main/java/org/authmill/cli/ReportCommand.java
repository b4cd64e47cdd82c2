package org.authmill.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code authmill report show|xml|send}: DMARC aggregate reports (RFC 9990) from what {@code
 * authmill serve} recorded; lists its subcommands.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "DMARC aggregate reports (RFC 9990): show what is recorded, print the XML, send.",
    subcommands = {ReportShowCommand.class, ReportXmlCommand.class, ReportSendCommand.class})
final class ReportCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
