package org.authmill.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.authmill.store.Migrations;

/**
 * The SQL of counted rows and policies: batched atomic upserts, and the queries that {@code report
 * show}, {@code report xml} and the sender read. Lists inside a row are stored as text: DKIM
 * results as {@code domain TAB selector TAB result} lines, override reasons as {@code type TAB
 * comment} lines (the values hold no control characters, see {@link Fields}).
 */
final class RowStore {
  /**
   * The report feature's migrations ({@code db/report/...}, history {@code
   * authmill_history_report}).
   */
  static final Migrations MIGRATIONS = Migrations.of("report");

  private static final String UPSERT_ROW =
      "INSERT INTO report_rows AS t (period_start, policy_domain, row_key, period_end, source_ip,"
          + " header_from, envelope_from, envelope_to, disposition, dkim_aligned, spf_aligned,"
          + " reasons, spf_domain, spf_scope, spf_result, dkim, msg_count)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (period_start, policy_domain, row_key)"
          + " DO UPDATE SET msg_count = t.msg_count + excluded.msg_count";

  private static final String UPSERT_POLICY =
      "INSERT INTO report_policies AS t (period_start, policy_domain, period_end, org_domain, p,"
          + " sp, np, adkim, aspf, discovery_method, fo, testing, psd, rua, last_seen)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (period_start, policy_domain) DO UPDATE SET"
          + " period_end = excluded.period_end, org_domain = excluded.org_domain, p = excluded.p,"
          + " sp = excluded.sp, np = excluded.np, adkim = excluded.adkim, aspf = excluded.aspf,"
          + " discovery_method = excluded.discovery_method, fo = excluded.fo,"
          + " testing = excluded.testing, psd = excluded.psd, rua = excluded.rua,"
          + " last_seen = excluded.last_seen"
          + " WHERE excluded.last_seen >= t.last_seen";

  private static final String ROW_COLUMNS =
      "policy_domain, period_start, period_end, source_ip, header_from, envelope_from,"
          + " envelope_to, disposition, dkim_aligned, spf_aligned, reasons, spf_domain, spf_scope,"
          + " spf_result, dkim, msg_count";

  private RowStore() {}

  /** Adds counts and policies in one transaction's connection. */
  static void write(Connection c, Map<HeldKey, Long> counts, Map<PolicyKey, StoredPolicy> policies)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_POLICY)) {
      for (Map.Entry<PolicyKey, StoredPolicy> e : policies.entrySet()) {
        StoredPolicy sp = e.getValue();
        PolicyPublished p = sp.published();
        int i = 1;
        ps.setLong(i++, sp.periodStart());
        ps.setString(i++, p.domain());
        ps.setLong(i++, sp.periodEnd());
        ps.setString(i++, sp.organizationalDomain());
        ps.setString(i++, p.p());
        setOptional(ps, i++, p.sp());
        setOptional(ps, i++, p.np());
        ps.setString(i++, p.adkim());
        ps.setString(i++, p.aspf());
        ps.setString(i++, p.discoveryMethod());
        ps.setString(i++, p.fo());
        ps.setString(i++, p.testing());
        ps.setString(i++, p.psd());
        ps.setString(i++, String.join("\n", sp.aggregateReportUris()));
        ps.setLong(i, sp.lastSeen());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement(UPSERT_ROW)) {
      for (Map.Entry<HeldKey, Long> e : counts.entrySet()) {
        HeldKey k = e.getKey();
        ReportRow r = k.row();
        int i = 1;
        ps.setLong(i++, k.periodStart());
        ps.setString(i++, k.policyDomain());
        ps.setString(i++, r.key());
        ps.setLong(i++, k.periodEnd());
        ps.setString(i++, r.sourceIp());
        ps.setString(i++, r.headerFrom());
        setOptional(ps, i++, r.envelopeFrom());
        setOptional(ps, i++, r.envelopeTo());
        ps.setString(i++, r.evaluated().disposition());
        ps.setString(i++, r.evaluated().dkim());
        ps.setString(i++, r.evaluated().spf());
        ps.setString(i++, encodeReasons(r.evaluated().reasons()));
        setOptional(ps, i++, r.spf().map(SpfAuth::domain));
        setOptional(ps, i++, r.spf().map(SpfAuth::scope));
        setOptional(ps, i++, r.spf().map(SpfAuth::result));
        ps.setString(i++, encodeDkim(r.dkim()));
        ps.setLong(i, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * The rows whose period overlaps {@code [since, until]}, for one policy domain or all, ordered by
   * domain, period and count (largest first).
   */
  static List<StoredRow> rows(Connection c, Optional<String> domain, long since, long until)
      throws SQLException {
    String sql =
        "SELECT "
            + ROW_COLUMNS
            + " FROM report_rows WHERE period_end >= ? AND period_start <= ?"
            + (domain.isPresent() ? " AND policy_domain = ?" : "")
            + " ORDER BY policy_domain, period_start, msg_count DESC, row_key";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, since);
      ps.setLong(2, until);
      if (domain.isPresent()) {
        ps.setString(3, domain.get());
      }
      List<StoredRow> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(readRow(rs));
        }
      }
      return rows;
    }
  }

  /** The rows of one report: a policy domain and one period. */
  static List<StoredRow> rowsOf(Connection c, String domain, long periodStart) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + ROW_COLUMNS
                + " FROM report_rows WHERE policy_domain = ? AND period_start = ?"
                + " ORDER BY msg_count DESC, row_key")) {
      ps.setString(1, domain);
      ps.setLong(2, periodStart);
      List<StoredRow> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(readRow(rs));
        }
      }
      return rows;
    }
  }

  /** The policies of a domain whose periods overlap {@code [since, until]}, oldest first. */
  static List<StoredPolicy> policies(Connection c, String domain, long since, long until)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT period_start, period_end, policy_domain, org_domain, p, sp, np, adkim, aspf,"
                + " discovery_method, fo, testing, psd, rua, last_seen FROM report_policies"
                + " WHERE policy_domain = ? AND period_end >= ? AND period_start <= ?"
                + " ORDER BY period_start")) {
      ps.setString(1, domain);
      ps.setLong(2, since);
      ps.setLong(3, until);
      List<StoredPolicy> list = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          PolicyPublished p =
              new PolicyPublished(
                  rs.getString(3),
                  rs.getString(5),
                  Optional.ofNullable(rs.getString(6)),
                  Optional.ofNullable(rs.getString(7)),
                  rs.getString(8),
                  rs.getString(9),
                  rs.getString(10),
                  rs.getString(11),
                  rs.getString(12),
                  rs.getString(13));
          String rua = rs.getString(14);
          list.add(
              new StoredPolicy(
                  rs.getLong(1),
                  rs.getLong(2),
                  p,
                  rs.getString(4),
                  rua.isEmpty() ? List.of() : Arrays.asList(rua.split("\n")),
                  rs.getLong(15)));
        }
      }
      return list;
    }
  }

  private static StoredRow readRow(ResultSet rs) throws SQLException {
    Optional<String> spfDomain = Optional.ofNullable(rs.getString(12));
    Optional<SpfAuth> spf = spfDomain.map(d -> new SpfAuth(d, nonNull(rs, 13), nonNull(rs, 14)));
    ReportRow row =
        new ReportRow(
            rs.getString(4),
            rs.getString(5),
            Optional.ofNullable(rs.getString(6)),
            Optional.ofNullable(rs.getString(7)),
            new PolicyEvaluated(
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                decodeReasons(rs.getString(11))),
            spf,
            decodeDkim(rs.getString(15)));
    return new StoredRow(rs.getString(1), rs.getLong(2), rs.getLong(3), row, rs.getLong(16));
  }

  private static String nonNull(ResultSet rs, int column) {
    try {
      String v = rs.getString(column);
      return v == null ? "" : v;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static String encodeDkim(List<DkimAuth> dkim) {
    StringBuilder b = new StringBuilder();
    for (DkimAuth d : dkim) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(d.domain()).append('\t').append(d.selector()).append('\t').append(d.result());
    }
    return b.toString();
  }

  static List<DkimAuth> decodeDkim(String text) {
    List<DkimAuth> list = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return list;
    }
    for (String line : text.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length == 3) {
        list.add(new DkimAuth(f[0], f[1], f[2]));
      }
    }
    return list;
  }

  static String encodeReasons(List<OverrideReason> reasons) {
    StringBuilder b = new StringBuilder();
    for (OverrideReason r : reasons) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(r.type());
      r.comment().ifPresent(c -> b.append('\t').append(c));
    }
    return b.toString();
  }

  static List<OverrideReason> decodeReasons(String text) {
    List<OverrideReason> list = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return list;
    }
    for (String line : text.split("\n")) {
      int tab = line.indexOf('\t');
      list.add(
          tab < 0
              ? OverrideReason.of(line)
              : new OverrideReason(line.substring(0, tab), Optional.of(line.substring(tab + 1))));
    }
    return list;
  }

  private static void setOptional(PreparedStatement ps, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setString(index, value.get());
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }

  /** A row held in memory: the row, its policy domain and period. */
  record HeldKey(long periodStart, long periodEnd, String policyDomain, ReportRow row) {}

  /** A policy held in memory: its domain and period. */
  record PolicyKey(long periodStart, String policyDomain) {}
}
