package org.authmill.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code authmill feedback}: the DMARC reports this domain owner receives (import, summary,
 * dashboard), kept apart from {@code report}, which sends this receiver's own reports.
 */
@Command(
    name = "feedback",
    mixinStandardHelpOptions = true,
    description = "Import received DMARC reports and see who sends as your domains.",
    subcommands = {
      FeedbackImportCommand.class,
      FeedbackSummaryCommand.class,
      FeedbackDashboardCommand.class
    })
final class FeedbackCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
