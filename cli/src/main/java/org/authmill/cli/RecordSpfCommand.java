package org.authmill.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.authmill.dns.ParseResult;
import org.authmill.spf.SpfLintReport;
import org.authmill.spf.SpfLinter;
import org.authmill.spf.SpfParser;
import org.authmill.spf.SpfRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill record spf}: builds an SPF record (RFC 7208) from options and prints the TXT
 * record text, or lints a domain's published record with {@code --lint DOMAIN}.
 */
@Command(
    name = "spf",
    mixinStandardHelpOptions = true,
    description = {
      "Build an SPF record (RFC 7208) from options, or lint a published one with --lint DOMAIN.",
      "Example: authmill record spf --ip4 192.0.2.0/24 --mx --include _spf.example.net --all -"
    })
final class RecordSpfCommand implements Callable<Integer> {
  /** The value of a bare --a or --mx: the domain itself. */
  static final String SELF = "<self>";

  @Spec CommandSpec spec;

  @Option(names = "--ip4", paramLabel = "NET", description = "IPv4 address or network (CIDR).")
  List<String> ip4 = new ArrayList<>();

  @Option(names = "--ip6", paramLabel = "NET", description = "IPv6 address or network (CIDR).")
  List<String> ip6 = new ArrayList<>();

  @Option(
      names = "--a",
      arity = "0..1",
      fallbackValue = SELF,
      paramLabel = "DOMAIN",
      description = "Allow the addresses of DOMAIN (default: the domain itself).")
  List<String> a = new ArrayList<>();

  @Option(
      names = "--mx",
      arity = "0..1",
      fallbackValue = SELF,
      paramLabel = "DOMAIN",
      description = "Allow the mail exchangers of DOMAIN (default: the domain itself).")
  List<String> mx = new ArrayList<>();

  @Option(names = "--include", paramLabel = "DOMAIN", description = "Include DOMAIN's record.")
  List<String> include = new ArrayList<>();

  @Option(
      names = "--all",
      paramLabel = "QUALIFIER",
      defaultValue = "~",
      description =
          "Result for everything else: - (fail), ~ (softfail, default), ? (neutral), + (pass).")
  String all;

  @Option(names = "--lint", paramLabel = "DOMAIN", description = "Lint DOMAIN's published record.")
  String lint;

  @Option(names = "--json", description = "With --lint, print one JSON object.")
  boolean json;

  @Mixin DnsOptions dns;

  @Override
  public Integer call() {
    if (lint != null) {
      if (!ip4.isEmpty() || !ip6.isEmpty() || !a.isEmpty() || !mx.isEmpty() || !include.isEmpty()) {
        throw new InputException("--lint checks a published record; give it without build options");
      }
      return lint();
    }
    return build();
  }

  private int build() {
    if (ip4.isEmpty() && ip6.isEmpty() && a.isEmpty() && mx.isEmpty() && include.isEmpty()) {
      throw new InputException(
          "nothing to build: give --ip4, --ip6, --a, --mx or --include (or --lint DOMAIN)");
    }
    StringBuilder record = new StringBuilder(SpfParser.VERSION);
    ip4.forEach(n -> record.append(" ip4:").append(n.trim()));
    ip6.forEach(n -> record.append(" ip6:").append(n.trim()));
    a.forEach(d -> record.append(d.isBlank() || d.equals(SELF) ? " a" : " a:" + d.trim()));
    mx.forEach(d -> record.append(d.isBlank() || d.equals(SELF) ? " mx" : " mx:" + d.trim()));
    include.forEach(d -> record.append(" include:").append(d.trim()));
    record.append(' ').append(qualifier(all)).append("all");
    String text = record.toString();
    ParseResult<SpfRecord> parsed = SpfParser.parse(text);
    if (parsed.problem().isPresent()) {
      throw new InputException("not a valid SPF term: " + parsed.problem().get());
    }
    SpfRecord built = parsed.value().orElseThrow();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.println(text);
    out.flush();
    int bytes = text.getBytes(StandardCharsets.US_ASCII).length;
    if (bytes > 255) {
      err.println(
          "note: "
              + bytes
              + " octets is more than one 255-octet string; in a zone file write: "
              + quotedStrings(text));
    }
    if (built.dnsTermCount() > 10) {
      err.println(
          "warning: "
              + built.dnsTermCount()
              + " DNS-querying terms; receivers allow 10 in all, nested includes counted"
              + " (RFC 7208 §4.6.4)");
    } else if (!include.isEmpty()) {
      err.println(
          "note: "
              + built.dnsTermCount()
              + " DNS-querying terms here, plus those inside the included records; run"
              + " --lint DOMAIN once it is published");
    }
    if (qualifier(all).equals("+")) {
      err.println("warning: +all lets every host on the Internet pass (RFC 7208 §5.1)");
    }
    err.flush();
    return ExitCodes.PASS;
  }

  /** The record split into quoted character-strings of at most 255 octets (RFC 7208 §3.3). */
  static String quotedStrings(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i += 255) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append('"').append(text, i, Math.min(text.length(), i + 255)).append('"');
    }
    return out.toString();
  }

  private static String qualifier(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "-", "fail", "-all" -> "-";
      case "~", "softfail", "~all" -> "~";
      case "?", "neutral", "?all" -> "?";
      case "+", "pass", "+all" -> "+";
      default ->
          throw new InputException(
              "--all " + value + ": expected - (fail), ~ (softfail), ? (neutral) or + (pass)");
    };
  }

  private int lint() {
    SpfLintReport report = SpfLinter.using(dns.resolver()).lint(lint).toCompletableFuture().join();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("domain", report.domain());
      map.put("record", report.record().orElse(null));
      map.put("size", report.recordBytes());
      map.put("lookups", report.dnsTerms());
      map.put("void_lookups", report.voidLookups());
      List<Map<String, String>> findings = new ArrayList<>();
      for (SpfLintReport.Finding f : report.findings()) {
        findings.add(
            Map.of(
                "severity", f.severity().name().toLowerCase(Locale.ROOT), "message", f.message()));
      }
      map.put("findings", findings);
      map.put("result", report.hasErrors() ? "error" : "ok");
      out.println(Json.write(map));
    } else {
      out.println("domain: " + report.domain());
      out.println("record: " + report.record().orElse("(none)"));
      out.println(
          "size: "
              + report.recordBytes()
              + " octets (one string holds 255; keep the answer under 512)");
      out.println("dns lookups: " + report.dnsTerms() + " of 10 (nested includes counted)");
      out.println("void lookups: " + report.voidLookups() + " of 2");
      if (report.findings().isEmpty()) {
        out.println("ok: no problems found");
      }
      for (SpfLintReport.Finding f : report.findings()) {
        out.println(f.severity().name().toLowerCase(Locale.ROOT) + ": " + f.message());
      }
    }
    out.flush();
    return report.hasErrors() ? ExitCodes.NOT_PASS : ExitCodes.PASS;
  }
}
