package org.authmill.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSigner;
import org.authmill.report.DestinationLists;
import org.authmill.report.PlannedReport;
import org.authmill.report.ReportSender;
import org.authmill.report.ReporterIdentity;
import org.authmill.report.SendSummary;
import org.authmill.server.HostPort;
import org.authmill.store.Store;
import org.authmill.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill report send [--dry-run]}: sends every aggregate report whose period has ended
 * (for cron; {@code authmill serve} does the same on a schedule). Safe to run on several machines
 * sharing one store: each report is sent by exactly one.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Send every DMARC aggregate report whose period has ended.")
final class ReportSendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dry-run", description = "Show what would be sent; send and change nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(
      names = "--relay",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:25",
      description = "SMTP relay (default: ${DEFAULT-VALUE}).")
  String relay;

  @Option(
      names = "--send-delay",
      paramLabel = "SECONDS",
      defaultValue = "300",
      description = "Wait this long after a period ends (default: ${DEFAULT-VALUE}).")
  long sendDelay;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      defaultValue = "8",
      description = "Attempts per delivery (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--retry-backoff",
      paramLabel = "SECONDS",
      defaultValue = "900",
      description = "First retry delay, doubling (default: ${DEFAULT-VALUE}).")
  long retryBackoff;

  @Option(
      names = "--suppress-after",
      paramLabel = "N",
      defaultValue = "3",
      description = "Failures before a destination is suppressed (default: ${DEFAULT-VALUE}).")
  int suppressAfter;

  @Option(
      names = "--suppress-for",
      paramLabel = "SECONDS",
      defaultValue = "86400",
      description = "How long it stays suppressed (default: ${DEFAULT-VALUE}).")
  long suppressFor;

  @Option(
      names = "--allow",
      paramLabel = "DEST",
      description = "Only send to these (address, domain or @domain; repeatable).")
  List<String> allow = new ArrayList<>();

  @Option(
      names = "--deny",
      paramLabel = "DEST",
      description = "Never send to these (address, domain or @domain; repeatable).")
  List<String> deny = new ArrayList<>();

  @Option(
      names = "--max-report-bytes",
      paramLabel = "BYTES",
      defaultValue = "10485760",
      description =
          "Largest compressed report per message; larger are split (default: ${DEFAULT-VALUE}).")
  int maxReportBytes;

  @Option(
      names = "--dkim-key",
      paramLabel = "FILE",
      description = "DKIM private key of the reporting domain (the domain of --report-email).")
  Path dkimKey;

  @Option(names = "--dkim-selector", paramLabel = "S", description = "Selector of --dkim-key.")
  String dkimSelector;

  @Mixin ReportStoreOptions store;

  @Mixin ReportIdentityOptions identityOptions;

  @Mixin DnsOptions dns;

  @Override
  public Integer call() {
    ReporterIdentity identity = identityOptions.identity(true);
    HostPort hp;
    try {
      hp = HostPort.parse(relay);
    } catch (IllegalArgumentException e) {
      throw new InputException("--relay " + relay + ": " + e.getMessage(), e);
    }
    Optional<DkimSigner> signer = signer(identity);
    PrintWriter out = spec.commandLine().getOut();
    try (Store s = store.open()) {
      ReportSender sender;
      try {
        sender =
            ReportSender.builder(s, identity, dns.resolver())
                .relay(new InetSocketAddress(hp.host(), hp.port()))
                .sendDelay(Duration.ofSeconds(sendDelay))
                .maxAttempts(maxAttempts)
                .retryBackoff(Duration.ofSeconds(retryBackoff))
                .suppressAfter(suppressAfter)
                .suppressFor(Duration.ofSeconds(suppressFor))
                .lists(new DestinationLists(allow, deny))
                .maxReportBytes(maxReportBytes)
                .signer(signer)
                .build();
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage(), e);
      }
      if (dryRun) {
        List<PlannedReport> plans = sender.plan();
        if (json) {
          List<Map<String, Object>> list = new ArrayList<>();
          for (PlannedReport p : plans) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", p.policyDomain());
            m.put("begin", p.begin());
            m.put("end", p.end());
            m.put("report_id", p.reportId());
            m.put("messages", p.messages());
            m.put("records", p.records());
            m.put("destinations", p.destinations());
            list.add(m);
          }
          out.println(Json.write(Map.of("reports", list)));
        } else {
          for (PlannedReport p : plans) {
            out.println(
                p.policyDomain()
                    + " "
                    + p.begin()
                    + ".."
                    + p.end()
                    + " "
                    + p.reportId()
                    + ": "
                    + p.messages()
                    + " messages in "
                    + p.records()
                    + " records");
            p.destinations().forEach(d -> out.println("  " + d));
          }
          out.println(plans.size() + " report(s) due");
        }
        return ExitCodes.PASS;
      }
      SendSummary r = sender.sendDue();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reports", r.reports());
        m.put("sent", r.sent());
        m.put("deferred", r.deferred());
        m.put("failed", r.failed());
        m.put("suppressed", r.suppressed());
        m.put("unauthorized", r.unauthorized());
        m.put("denied", r.denied());
        out.println(Json.write(m));
      } else {
        out.println(
            "reports: "
                + r.reports()
                + ", sent: "
                + r.sent()
                + ", deferred: "
                + r.deferred()
                + ", failed: "
                + r.failed()
                + ", suppressed: "
                + r.suppressed()
                + ", unauthorized: "
                + r.unauthorized()
                + ", denied: "
                + r.denied());
      }
      return r.deferred() > 0 ? ExitCodes.TEMPFAIL : ExitCodes.PASS;
    } catch (StoreException e) {
      spec.commandLine().getErr().println("authmill: " + e.getMessage());
      return ExitCodes.TEMPFAIL;
    }
  }

  private Optional<DkimSigner> signer(ReporterIdentity identity) {
    if (dkimKey == null) {
      if (dkimSelector != null) {
        throw new InputException("--dkim-selector needs --dkim-key");
      }
      return Optional.empty();
    }
    if (dkimSelector == null) {
      throw new InputException("--dkim-key needs --dkim-selector");
    }
    try {
      DkimPrivateKey key = DkimPrivateKey.read(dkimKey);
      return Optional.of(
          DkimSigner.builder()
              .domain(identity.submitter())
              .selector(dkimSelector)
              .key(key)
              .build());
    } catch (IOException | IllegalArgumentException e) {
      throw new InputException("--dkim-key " + dkimKey + ": " + e.getMessage(), e);
    }
  }
}
