package org.authmill.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.authmill.report.DkimAuth;
import org.authmill.report.OverrideReason;
import org.authmill.report.ReportReader;
import org.authmill.report.ReportRow;
import org.authmill.report.StoredRow;
import org.authmill.store.Store;
import org.authmill.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill report show [--domain D] [--since EPOCH] [--until EPOCH] [--json]}: the rows
 * recorded for aggregate reports (what would be sent). With {@code --json}: {@code {"total": N,
 * "rows": [{"source_ip", "count", "header_from", "disposition", "dkim", "spf", ...}]}}, where
 * {@code total} is the number of messages (the sum of the counts).
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show the rows recorded for DMARC aggregate reports.")
final class ReportShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--domain", paramLabel = "D", description = "Only this DMARC Policy Domain.")
  String domain;

  @Option(
      names = "--since",
      paramLabel = "EPOCH",
      description = "Periods ending at or after this time (seconds since the epoch).")
  long since = 0;

  @Option(
      names = "--until",
      paramLabel = "EPOCH",
      description = "Periods starting at or before this time (seconds since the epoch).")
  long until = Long.MAX_VALUE;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Mixin ReportStoreOptions store;

  @Override
  public Integer call() {
    List<StoredRow> rows;
    try (Store s = store.open()) {
      rows = new ReportReader(s).rows(Optional.ofNullable(domain), since, until);
    } catch (StoreException e) {
      spec.commandLine().getErr().println("authmill: " + e.getMessage());
      return ExitCodes.TEMPFAIL;
    }
    long total = rows.stream().mapToLong(StoredRow::count).sum();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("total", total);
      doc.put("rows", rows.stream().map(ReportShowCommand::toJson).toList());
      out.println(Json.write(doc));
    } else {
      out.printf(
          "%-20s %-40s %-16s %7s %-10s %-4s %-4s%n",
          "POLICY DOMAIN", "SOURCE IP", "HEADER FROM", "COUNT", "DISPOSITION", "DKIM", "SPF");
      for (StoredRow r : rows) {
        ReportRow row = r.row();
        out.printf(
            "%-20s %-40s %-16s %7d %-10s %-4s %-4s%n",
            r.policyDomain(),
            row.sourceIp(),
            row.headerFrom(),
            r.count(),
            row.evaluated().disposition(),
            row.evaluated().dkim(),
            row.evaluated().spf());
      }
      out.println("total: " + total + " messages in " + rows.size() + " rows");
    }
    return ExitCodes.PASS;
  }

  static Map<String, Object> toJson(StoredRow r) {
    ReportRow row = r.row();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source_ip", row.sourceIp());
    m.put("count", r.count());
    m.put("header_from", row.headerFrom());
    m.put("disposition", row.evaluated().disposition());
    m.put("dkim", row.evaluated().dkim());
    m.put("spf", row.evaluated().spf());
    m.put("policy_domain", r.policyDomain());
    m.put("begin", r.periodStart());
    m.put("end", r.periodEnd());
    m.put("envelope_from", row.envelopeFrom().orElse(null));
    m.put("envelope_to", row.envelopeTo().orElse(null));
    List<Map<String, Object>> reasons = new ArrayList<>();
    for (OverrideReason reason : row.evaluated().reasons()) {
      Map<String, Object> rm = new LinkedHashMap<>();
      rm.put("type", reason.type());
      rm.put("comment", reason.comment().orElse(null));
      reasons.add(rm);
    }
    m.put("reasons", reasons);
    Map<String, Object> auth = new LinkedHashMap<>();
    List<Map<String, Object>> dkim = new ArrayList<>();
    for (DkimAuth d : row.dkim()) {
      Map<String, Object> dm = new LinkedHashMap<>();
      dm.put("domain", d.domain());
      dm.put("selector", d.selector());
      dm.put("result", d.result());
      dkim.add(dm);
    }
    auth.put("dkim", dkim);
    auth.put(
        "spf",
        row.spf()
            .map(
                s -> {
                  Map<String, Object> sm = new LinkedHashMap<>();
                  sm.put("domain", s.domain());
                  sm.put("scope", s.scope());
                  sm.put("result", s.result());
                  return sm;
                })
            .orElse(null));
    m.put("auth_results", auth);
    return m;
  }
}
