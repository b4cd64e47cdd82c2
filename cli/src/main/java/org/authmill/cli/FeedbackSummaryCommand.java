package org.authmill.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.authmill.feedback.FeedbackQueries;
import org.authmill.feedback.FeedbackSummary;
import org.authmill.feedback.Readiness;
import org.authmill.feedback.SourceSummary;
import org.authmill.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill feedback summary --domain D [--since ...] [--json]}: per source IP (its reverse
 * name and the organizations that reported it), volume, SPF/DKIM/DMARC pass rates and alignment,
 * and whether {@code p=quarantine} and {@code p=reject} are safe.
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = "Who sends as a domain, what passes, and whether p=quarantine/reject is safe.")
final class FeedbackSummaryCommand implements Callable<Integer> {
  private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([dhw])");

  @Spec CommandSpec spec;

  @Option(names = "--domain", paramLabel = "D", required = true, description = "Policy domain.")
  String domain;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Only reports ending after this: a date (2026-01-31), an instant, or 30d/12h/4w.")
  String since;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--no-reverse", description = "Do not look up the sources' reverse names.")
  boolean noReverse;

  @Mixin FeedbackStoreOptions storeOptions;

  @Mixin DnsOptions dns;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    Instant from = parseSince(since, clock);
    try (Store store = storeOptions.open()) {
      FeedbackStoreOptions.feedback(store);
      ReverseNames reverse =
          noReverse ? ReverseNames.none() : new ReverseNames(dns.resolver(), Duration.ofSeconds(5));
      FeedbackSummary summary = new FeedbackQueries(store).summary(domain, from, reverse::name);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> map = summary.toMap();
        out.println(Json.write(map));
      } else {
        print(summary, out);
      }
      return ExitCodes.PASS;
    }
  }

  static Instant parseSince(String text, Clock clock) {
    if (text == null || text.isBlank()) {
      return Instant.EPOCH;
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = RELATIVE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "h" -> Duration.ofHours(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofDays(n);
          };
      return clock.instant().minus(d);
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text.strip());
      } catch (DateTimeParseException e2) {
        throw new InputException(
            "--since " + text + ": expected a date (2026-01-31), an instant, or 30d, 12h, 4w");
      }
    }
  }

  private static void print(FeedbackSummary s, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "%s: %d messages in %d reports from %s over %.1f days; DMARC pass %.1f%%%s%n",
        s.domain(),
        s.messages(),
        s.reports(),
        s.reportingOrgs().isEmpty() ? "nobody" : String.join(", ", s.reportingOrgs()),
        s.days(),
        100.0 * rate(s.dmarcPass(), s.messages()),
        s.currentPolicy().isEmpty() ? "" : " (policy p=" + s.currentPolicy() + ")");
    if (!s.sources().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "%-39s %-30s %9s %6s %6s %6s %6s %6s  %s%n",
          "SOURCE",
          "REVERSE NAME",
          "MESSAGES",
          "DMARC",
          "DKIM",
          "SPF",
          "DKIM-A",
          "SPF-A",
          "REPORTED BY");
      for (SourceSummary src : s.sources()) {
        out.printf(
            Locale.ROOT,
            "%-39s %-30s %9d %5.0f%% %5.0f%% %5.0f%% %5.0f%% %5.0f%%  %s%n",
            src.sourceIp(),
            src.reverseName().isEmpty() ? "-" : src.reverseName(),
            src.messages(),
            100.0 * rate(src.dmarcPass(), src.messages()),
            100.0 * rate(src.dkimPass(), src.messages()),
            100.0 * rate(src.spfPass(), src.messages()),
            100.0 * rate(src.dkimAligned(), src.messages()),
            100.0 * rate(src.spfAligned(), src.messages()),
            String.join(", ", src.reportingOrgs()));
      }
    }
    for (Readiness r : s.readiness()) {
      out.println(r.verdict().toUpperCase(Locale.ROOT) + ": " + r.sentence());
      for (Readiness.Affected a : r.sources()) {
        out.printf(
            Locale.ROOT,
            "  %-39s %8.1f/day%s%n",
            a.sourceIp(),
            a.messagesPerDay(),
            a.alsoPasses() ? "  (also sends mail that passes: probably yours)" : "");
      }
    }
  }

  private static double rate(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
