package org.authmill.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.authmill.dmarc.AlignmentMode;
import org.authmill.dmarc.AuthorDomains;
import org.authmill.dmarc.DmarcLinter;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.dmarc.DmarcRecord;
import org.authmill.dmarc.DmarcRecordBuilder;
import org.authmill.dmarc.LintFinding;
import org.authmill.dmarc.LintReport;
import org.authmill.dmarc.PsdFlag;
import org.authmill.dmarc.ReportUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill record dmarc}: builds a DMARC Policy Record (RFC 9989 §4.7) from options, or,
 * with {@code --lint DOMAIN}, checks the one a domain publishes as an RFC 9989 receiver sees it.
 */
@Command(
    name = "dmarc",
    mixinStandardHelpOptions = true,
    description = {
      "Build a DMARC record (RFC 9989) from options, or lint what a domain publishes.",
      "",
      "Build: prints the TXT record text; with --domain also the zone-file line for"
          + " _dmarc.DOMAIN and notes as zone-file comments.",
      "Lint (--lint DOMAIN): the record's syntax, where the policy for mail from DOMAIN comes"
          + " from (the RFC 9989 DNS tree walk), its Organizational Domain, whether every"
          + " external rua/ruf destination authorizes the reports"
          + " (<domain>._report._dmarc.<destination> TXT), and advice."
    },
    footer = {
      "",
      "Examples:",
      "  authmill record dmarc --p quarantine --rua dmarc@example.com --domain example.com",
      "  authmill record dmarc --lint example.com",
      "",
      "Exit status: 0 record built, or lint without errors; 1 lint found errors;"
          + " 2 bad options; 75 DNS failure during the lint."
    })
final class RecordDmarcCommand implements Callable<Integer> {
  private static final int TXT_STRING_MAX = 255;

  @Spec CommandSpec spec;

  @Option(
      names = "--p",
      paramLabel = "POLICY",
      description = "Policy: none, quarantine or reject (default: none).")
  String p;

  @Option(names = "--sp", paramLabel = "POLICY", description = "Policy for existing subdomains.")
  String sp;

  @Option(
      names = "--np",
      paramLabel = "POLICY",
      description = "Policy for non-existent subdomains (RFC 9989).")
  String np;

  @Option(names = "--adkim", paramLabel = "r|s", description = "DKIM alignment: relaxed or strict.")
  String adkim;

  @Option(names = "--aspf", paramLabel = "r|s", description = "SPF alignment: relaxed or strict.")
  String aspf;

  @Option(
      names = "--rua",
      paramLabel = "URI",
      split = ",",
      description = "Aggregate report destination (repeatable; a bare address gets mailto:).")
  List<String> rua = new ArrayList<>();

  @Option(
      names = "--ruf",
      paramLabel = "URI",
      split = ",",
      description = "Failure report destination (repeatable; a bare address gets mailto:).")
  List<String> ruf = new ArrayList<>();

  @Option(names = "--fo", paramLabel = "OPTIONS", description = "Failure options, such as 1:d:s.")
  String fo;

  @Option(names = "--t", paramLabel = "y|n", description = "Testing mode (t=y).")
  String t;

  @Option(names = "--psd", paramLabel = "y|n|u", description = "Public Suffix Domain flag.")
  String psd;

  @Option(
      names = "--domain",
      paramLabel = "DOMAIN",
      description = "Also print the zone-file line for _dmarc.DOMAIN.")
  String domain;

  @Option(
      names = "--lint",
      paramLabel = "DOMAIN",
      description = "Lint the DMARC set-up DOMAIN publishes instead of building a record.")
  String lint;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Mixin DnsOptions dns;

  @Override
  public Integer call() {
    if (lint != null) {
      if (p != null
          || sp != null
          || np != null
          || adkim != null
          || aspf != null
          || !rua.isEmpty()
          || !ruf.isEmpty()
          || fo != null
          || t != null
          || psd != null
          || domain != null) {
        throw new InputException(
            "give --lint DOMAIN or the options of a record to build, not both");
      }
      return lint();
    }
    return build();
  }

  private int build() {
    DmarcRecordBuilder builder = new DmarcRecordBuilder();
    builder.policy(policy("--p", p == null ? "none" : p));
    if (sp != null) {
      builder.subdomainPolicy(policy("--sp", sp));
    }
    if (np != null) {
      builder.nonExistentPolicy(policy("--np", np));
    }
    if (adkim != null) {
      builder.dkimAlignment(mode("--adkim", adkim));
    }
    if (aspf != null) {
      builder.spfAlignment(mode("--aspf", aspf));
    }
    if (t != null) {
      builder.testing(yesNo("--t", t));
    }
    if (psd != null) {
      builder.psd(psd(psd));
    }
    try {
      if (fo != null) {
        builder.failureOptions(fo);
      }
      for (String uri : rua) {
        builder.aggregateReport(uri(uri));
      }
      for (String uri : ruf) {
        builder.failureReport(uri(uri));
      }
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    String owner = null;
    if (domain != null) {
      owner = normalizeDomain("--domain", domain);
    }
    DmarcRecord record = builder.build();
    List<String> notes = notes(record, owner);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("record", record.text());
      map.put("zone", owner == null ? null : zoneLine(owner, record.text()));
      map.put("notes", notes);
      out.println(Json.write(map));
    } else if (owner != null) {
      out.println(zoneLine(owner, record.text()));
      notes.forEach(n -> out.println("; " + n));
    } else {
      out.println(record.text());
      notes.forEach(n -> spec.commandLine().getErr().println("note: " + n));
    }
    return ExitCodes.PASS;
  }

  private static List<String> notes(DmarcRecord record, String owner) {
    List<String> notes = new ArrayList<>();
    if (record.policy().orElse(DmarcPolicy.NONE) == DmarcPolicy.NONE) {
      notes.add(
          "p=none is monitoring mode: move to quarantine, then reject, once the aggregate reports"
              + " show that all legitimate mail passes");
    }
    if (record.aggregateReportUris().isEmpty()) {
      notes.add("without rua no receiver sends aggregate reports");
    }
    if (record.failureReportUris().isEmpty() && record.text().contains("fo=")) {
      notes.add("fo has no effect without ruf");
    }
    if (owner != null) {
      List<ReportUri> uris = new ArrayList<>(record.aggregateReportUris());
      uris.addAll(record.failureReportUris());
      for (ReportUri uri : uris) {
        String dest = uri.mailtoDomain().orElse(null);
        if (dest != null && !dest.equals(owner) && !dest.endsWith("." + owner)) {
          notes.add(
              uri.uri()
                  + " is outside "
                  + owner
                  + ": unless it shares the Organizational Domain, "
                  + dest
                  + " must publish "
                  + owner
                  + "._report._dmarc."
                  + dest
                  + ". TXT \"v=DMARC1\" (check with --lint "
                  + owner
                  + ")");
        }
      }
    }
    return notes;
  }

  /** The zone-file line, the text split into character-strings of at most 255 octets. */
  static String zoneLine(String owner, String text) {
    StringBuilder strings = new StringBuilder();
    for (int i = 0; i < text.length(); i += TXT_STRING_MAX) {
      if (i > 0) {
        strings.append(' ');
      }
      String part = text.substring(i, Math.min(text.length(), i + TXT_STRING_MAX));
      strings.append('"').append(part.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return "_dmarc." + owner + ". IN TXT " + strings;
  }

  private int lint() {
    String name = normalizeDomain("--lint", lint);
    LintReport report = DmarcLinter.using(dns.resolver()).lint(name).toCompletableFuture().join();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(report.toJson()));
    } else {
      out.println(
          report
              .record()
              .map(r -> "_dmarc." + report.policyDomain().orElse(name) + ": " + r.text())
              .orElse("no DMARC record applies to " + name));
      report
          .policy()
          .ifPresent(
              pol ->
                  out.println(
                      "policy for mail from "
                          + name
                          + ": "
                          + report.policyTag().map(tag -> tag.tag()).orElse("p")
                          + "="
                          + pol.keyword()
                          + " (from _dmarc."
                          + report.policyDomain().orElse(name)
                          + ")"));
      report.organizationalDomain().ifPresent(org -> out.println("organizational domain: " + org));
      for (LintFinding f : report.findings()) {
        out.printf("%-8s %s%n", f.severity(), f.message());
      }
    }
    if (report.temporaryFailure()) {
      return ExitCodes.TEMPFAIL;
    }
    return report.hasErrors() ? ExitCodes.NOT_PASS : ExitCodes.PASS;
  }

  /** Lower case, A-labels by IDNA2008 (RFC 9989 §5.3.1), no trailing dot; as DMARC checks it. */
  private static String normalizeDomain(String option, String text) {
    try {
      return AuthorDomains.of(text).domains().get(0);
    } catch (IllegalArgumentException e) {
      throw new InputException(option + " " + text + ": not a domain name", e);
    }
  }

  private static String uri(String text) {
    String value = text.strip();
    if (!value.contains(":") && value.contains("@")) {
      value = "mailto:" + value;
    }
    return value;
  }

  private static DmarcPolicy policy(String option, String value) {
    return DmarcPolicy.fromKeyword(value.strip())
        .orElseThrow(
            () ->
                new InputException(option + " " + value + ": expected none, quarantine or reject"));
  }

  private static AlignmentMode mode(String option, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "r", "relaxed" -> AlignmentMode.RELAXED;
      case "s", "strict" -> AlignmentMode.STRICT;
      default ->
          throw new InputException(option + " " + value + ": expected r (relaxed) or s (strict)");
    };
  }

  private static boolean yesNo(String option, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "y", "yes" -> true;
      case "n", "no" -> false;
      default -> throw new InputException(option + " " + value + ": expected y or n");
    };
  }

  private static PsdFlag psd(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "y" -> PsdFlag.YES;
      case "n" -> PsdFlag.NO;
      case "u" -> PsdFlag.UNKNOWN;
      default -> throw new InputException("--psd " + value + ": expected y, n or u");
    };
  }
}
