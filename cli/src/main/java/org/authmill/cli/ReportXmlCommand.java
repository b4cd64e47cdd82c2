package org.authmill.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.authmill.report.AggregateReport;
import org.authmill.report.ReportReader;
import org.authmill.report.ReportXml;
import org.authmill.store.Store;
import org.authmill.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill report xml --domain D [--since EPOCH] [--until EPOCH]}: the RFC 9990 XML of what
 * is recorded for D in that range, to standard output (exit 1 when nothing is recorded).
 */
@Command(
    name = "xml",
    mixinStandardHelpOptions = true,
    description = "Print the RFC 9990 aggregate report XML of what is recorded for a domain.")
final class ReportXmlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--domain",
      paramLabel = "D",
      required = true,
      description = "The DMARC Policy Domain.")
  String domain;

  @Option(
      names = "--since",
      paramLabel = "EPOCH",
      description = "Periods ending at or after this time.")
  long since = 0;

  @Option(
      names = "--until",
      paramLabel = "EPOCH",
      description = "Periods starting at or before this time.")
  long until = Long.MAX_VALUE;

  @Mixin ReportStoreOptions store;

  @Mixin ReportIdentityOptions identity;

  @Override
  public Integer call() {
    Optional<AggregateReport> report;
    try (Store s = store.open()) {
      report = new ReportReader(s).report(identity.identity(false), domain, since, until);
    } catch (StoreException e) {
      spec.commandLine().getErr().println("authmill: " + e.getMessage());
      return ExitCodes.TEMPFAIL;
    }
    if (report.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println("authmill: nothing recorded for " + domain + " in that range");
      return ExitCodes.NOT_PASS;
    }
    spec.commandLine().getOut().print(ReportXml.write(report.get()));
    spec.commandLine().getOut().flush();
    return ExitCodes.PASS;
  }
}
