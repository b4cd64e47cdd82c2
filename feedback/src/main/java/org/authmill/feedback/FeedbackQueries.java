package org.authmill.feedback;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.authmill.store.Store;

/**
 * Reads the feedback tables for the summary and the dashboard. Every query is by policy domain and
 * a start time; grouping beyond SQL's {@code SUM} is done here, so the same SQL runs on SQLite and
 * PostgreSQL.
 */
public final class FeedbackQueries {
  private static final long DAY = 86_400;

  private final Store store;

  /** Queries over {@code store} (already migrated by {@link FeedbackStore#open}). */
  public FeedbackQueries(Store store) {
    this.store = store;
  }

  /** The policy domains with reports, most messages first. */
  public List<String> domains() {
    return store.inTransaction(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT domain, SUM(messages) AS n FROM feedback_report GROUP BY domain"
                          + " ORDER BY n DESC, domain");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  /**
   * The summary of a domain's reports ending at or after {@code since}.
   *
   * @param reverse the reverse name of a source address (empty when none); called once per source
   */
  public FeedbackSummary summary(String domain, Instant since, Function<String, String> reverse) {
    String d = domain.toLowerCase(java.util.Locale.ROOT);
    long from = since.getEpochSecond();
    return store.inTransaction(
        c -> {
          Map<String, long[]> counts = new LinkedHashMap<>();
          Map<String, TreeSet<String>> orgsBySource = new LinkedHashMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT r.source_ip, rep.org_name, SUM(r.messages),"
                      + " SUM(CASE WHEN r.dkim_aligned = 'pass' OR r.spf_aligned = 'pass'"
                      + " THEN r.messages ELSE 0 END),"
                      + " SUM(CASE WHEN r.dkim_aligned = 'pass' THEN r.messages ELSE 0 END),"
                      + " SUM(CASE WHEN r.spf_aligned = 'pass' THEN r.messages ELSE 0 END),"
                      + " SUM(r.dkim_pass * r.messages), SUM(r.spf_pass * r.messages),"
                      + " SUM(CASE WHEN r.disposition = 'quarantine' THEN r.messages ELSE 0 END),"
                      + " SUM(CASE WHEN r.disposition = 'reject' THEN r.messages ELSE 0 END)"
                      + " FROM feedback_record r JOIN feedback_report rep ON r.report = rep.id"
                      + " WHERE rep.domain = ? AND rep.date_end >= ?"
                      + " GROUP BY r.source_ip, rep.org_name")) {
            s.setString(1, d);
            s.setLong(2, from);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                String ip = rs.getString(1);
                long[] sum = counts.computeIfAbsent(ip, k -> new long[8]);
                for (int i = 0; i < 8; i++) {
                  sum[i] += rs.getLong(3 + i);
                }
                orgsBySource.computeIfAbsent(ip, k -> new TreeSet<>()).add(rs.getString(2));
              }
            }
          }
          long reports = 0;
          long first = 0;
          long last = 0;
          long covered = 0;
          TreeSet<String> orgs = new TreeSet<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT date_begin, date_end FROM feedback_report"
                      + " WHERE domain = ? AND date_end >= ? ORDER BY date_begin, date_end")) {
            s.setString(1, d);
            s.setLong(2, from);
            try (ResultSet rs = s.executeQuery()) {
              // The days covered are the union of the reports' ranges, so that gaps between
              // reports do not dilute the per-day rates.
              long runBegin = Long.MIN_VALUE;
              long runEnd = Long.MIN_VALUE;
              while (rs.next()) {
                long b = rs.getLong(1);
                long e = Math.max(b, rs.getLong(2));
                if (reports++ == 0) {
                  first = b;
                }
                last = Math.max(last, e);
                if (b > runEnd) {
                  if (runEnd > runBegin) {
                    covered += runEnd - runBegin;
                  }
                  runBegin = b;
                  runEnd = e;
                } else {
                  runEnd = Math.max(runEnd, e);
                }
              }
              if (runEnd > runBegin) {
                covered += runEnd - runBegin;
              }
            }
          }
          String policy = "";
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT DISTINCT org_name FROM feedback_report WHERE domain = ? AND date_end >= ?")) {
            s.setString(1, d);
            s.setLong(2, from);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                orgs.add(rs.getString(1));
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT policy_p FROM feedback_report WHERE domain = ? AND date_end >= ?"
                      + " ORDER BY date_end DESC, id DESC LIMIT 1")) {
            s.setString(1, d);
            s.setLong(2, from);
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) {
                policy = rs.getString(1);
              }
            }
          }
          long failures;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM feedback_failure WHERE reported_domain = ?")) {
            s.setString(1, d);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              failures = rs.getLong(1);
            }
          }
          List<SourceSummary> sources = new ArrayList<>();
          for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] v = e.getValue();
            sources.add(
                new SourceSummary(
                    e.getKey(),
                    "",
                    List.copyOf(orgsBySource.get(e.getKey())),
                    v[0],
                    v[1],
                    v[2],
                    v[3],
                    v[4],
                    v[5],
                    v[6],
                    v[7]));
          }
          sources.sort(
              Comparator.comparingLong(SourceSummary::messages)
                  .reversed()
                  .thenComparing(SourceSummary::sourceIp));
          List<SourceSummary> named = new ArrayList<>();
          for (SourceSummary s : sources) {
            named.add(s.withReverseName(reverse.apply(s.sourceIp())));
          }
          double days = Math.max(1.0, covered / (double) DAY);
          long messages = named.stream().mapToLong(SourceSummary::messages).sum();
          return new FeedbackSummary(
              d,
              since,
              reports == 0 ? null : Instant.ofEpochSecond(first),
              reports == 0 ? null : Instant.ofEpochSecond(last),
              days,
              reports,
              List.copyOf(orgs),
              messages,
              named.stream().mapToLong(SourceSummary::dmarcPass).sum(),
              named.stream().mapToLong(SourceSummary::dkimAligned).sum(),
              named.stream().mapToLong(SourceSummary::spfAligned).sum(),
              failures,
              policy,
              named,
              List.of(
                  readiness("quarantine", named, messages, days),
                  readiness("reject", named, messages, days)));
        });
  }

  static Readiness readiness(
      String policy, List<SourceSummary> sources, long messages, double days) {
    if (messages == 0) {
      return new Readiness(policy, "no-data", 0, 0, List.of());
    }
    List<Readiness.Affected> affected = new ArrayList<>();
    long failing = 0;
    long wanted = 0;
    for (SourceSummary s : sources) {
      if (s.dmarcFail() > 0) {
        boolean passes = s.dmarcPass() > 0;
        affected.add(new Readiness.Affected(s.sourceIp(), s.dmarcFail() / days, passes));
        failing += s.dmarcFail();
        if (passes) {
          wanted += s.dmarcFail();
        }
      }
    }
    affected.sort(Comparator.comparingDouble(Readiness.Affected::messagesPerDay).reversed());
    boolean ready = policy.equals("reject") ? wanted == 0 : wanted <= messages / 100.0;
    return new Readiness(
        policy, ready ? "ready" : "not-ready", failing / days, wanted / days, affected);
  }

  /** Messages per day of a domain by DMARC result: {day (epoch s), pass, fail} rows, by day. */
  public List<long[]> volumeByDay(String domain, Instant since) {
    return store.inTransaction(
        c -> {
          List<long[]> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT rep.date_begin / 86400 AS day,"
                      + " SUM(CASE WHEN r.dkim_aligned = 'pass' OR r.spf_aligned = 'pass'"
                      + " THEN r.messages ELSE 0 END),"
                      + " SUM(CASE WHEN r.dkim_aligned = 'pass' OR r.spf_aligned = 'pass'"
                      + " THEN 0 ELSE r.messages END)"
                      + " FROM feedback_record r JOIN feedback_report rep ON r.report = rep.id"
                      + " WHERE rep.domain = ? AND rep.date_end >= ?"
                      + " GROUP BY rep.date_begin / 86400 ORDER BY day")) {
            s.setString(1, domain);
            s.setLong(2, since.getEpochSecond());
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(new long[] {rs.getLong(1) * DAY, rs.getLong(2), rs.getLong(3)});
              }
            }
          }
          return out;
        });
  }

  /**
   * A raw stored record with its report, for the "rows behind each number" view.
   *
   * @param orgName reporting organization
   * @param reportId the report's id
   * @param begin report range start
   * @param end report range end
   * @param record the record as stored (auth results as "domain selector=result" text)
   */
  public record RawRow(
      String orgName,
      String reportId,
      Instant begin,
      Instant end,
      String sourceIp,
      long messages,
      String disposition,
      String dkimAligned,
      String spfAligned,
      String headerFrom,
      String envelopeFrom,
      String dkimResults,
      String spfResults,
      String reasons) {
    /** True when DMARC passed. */
    public boolean dmarcPass() {
      return dkimAligned.equals("pass") || spfAligned.equals("pass");
    }
  }

  /**
   * The stored records of a domain, newest report first, optionally of one source only.
   *
   * @param sourceIp a source address, or null for all
   * @param limit the most rows returned
   */
  public List<RawRow> rows(String domain, Instant since, String sourceIp, int limit) {
    return store.inTransaction(
        c -> {
          List<RawRow> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT rep.org_name, rep.report_id, rep.date_begin, rep.date_end, r.source_ip,"
                      + " r.messages, r.disposition, r.dkim_aligned, r.spf_aligned, r.header_from,"
                      + " r.envelope_from, r.dkim_results, r.spf_results, r.reasons"
                      + " FROM feedback_record r JOIN feedback_report rep ON r.report = rep.id"
                      + " WHERE rep.domain = ? AND rep.date_end >= ?"
                      + (sourceIp == null ? "" : " AND r.source_ip = ?")
                      + " ORDER BY rep.date_begin DESC, rep.id, r.seq LIMIT ?")) {
            int i = 0;
            s.setString(++i, domain);
            s.setLong(++i, since.getEpochSecond());
            if (sourceIp != null) {
              s.setString(++i, sourceIp);
            }
            s.setInt(++i, limit);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new RawRow(
                        rs.getString(1),
                        rs.getString(2),
                        Instant.ofEpochSecond(rs.getLong(3)),
                        Instant.ofEpochSecond(rs.getLong(4)),
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10),
                        rs.getString(11),
                        rs.getString(12),
                        rs.getString(13),
                        rs.getString(14)));
              }
            }
          }
          return out;
        });
  }

  /**
   * How a domain's messages aligned: {both DKIM and SPF aligned pass, DKIM only, SPF only, neither
   * (DMARC fail)}.
   */
  public long[] alignment(String domain, Instant since) {
    return store.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT"
                      + " SUM(CASE WHEN r.dkim_aligned = 'pass' AND r.spf_aligned = 'pass'"
                      + " THEN r.messages ELSE 0 END),"
                      + " SUM(CASE WHEN r.dkim_aligned = 'pass' AND r.spf_aligned <> 'pass'"
                      + " THEN r.messages ELSE 0 END),"
                      + " SUM(CASE WHEN r.dkim_aligned <> 'pass' AND r.spf_aligned = 'pass'"
                      + " THEN r.messages ELSE 0 END),"
                      + " SUM(CASE WHEN r.dkim_aligned <> 'pass' AND r.spf_aligned <> 'pass'"
                      + " THEN r.messages ELSE 0 END)"
                      + " FROM feedback_record r JOIN feedback_report rep ON r.report = rep.id"
                      + " WHERE rep.domain = ? AND rep.date_end >= ?")) {
            s.setString(1, domain);
            s.setLong(2, since.getEpochSecond());
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
          }
        });
  }

  /** Counts of stored rows: reports, records, failure reports (for tests and status). */
  public long[] counts() {
    return store.inTransaction(
        c -> {
          long[] out = new long[3];
          String[] tables = {"feedback_report", "feedback_record", "feedback_failure"};
          for (int i = 0; i < 3; i++) {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + tables[i]);
                ResultSet rs = s.executeQuery()) {
              rs.next();
              out[i] = rs.getLong(1);
            }
          }
          return out;
        });
  }
}
