package org.authmill.feedback;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.authmill.store.Migrations;
import org.authmill.store.Store;
import org.authmill.store.StoreException;

/**
 * The feedback tables in the shared {@link Store} ({@code feedback_report}, {@code
 * feedback_record}, {@code feedback_failure}; migrations under {@code db/feedback/}). An aggregate
 * report is written in one transaction with its records in batches, so a million-record report
 * streams through in bounded memory; the unique key (organization, report id, policy domain) makes
 * a second copy a no-op, also when two imports race.
 */
public final class FeedbackStore implements ReportSink {
  /** The store feature name: migrations in {@code db/feedback}, tables {@code feedback_*}. */
  public static final Migrations MIGRATIONS = Migrations.of("feedback");

  private static final int BATCH = 1000;

  private final Store store;
  private final Clock clock;

  private FeedbackStore(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The feedback tables of {@code store}, migrated to the current version. */
  public static FeedbackStore open(Store store, Clock clock) {
    store.migrate(MIGRATIONS);
    return new FeedbackStore(Objects.requireNonNull(store), Objects.requireNonNull(clock));
  }

  /** The underlying store, for queries. */
  public Store store() {
    return store;
  }

  @Override
  public AggregateWriter begin(ReportMetadata m, String source) throws IOException {
    Connection c = null;
    try {
      c = store.dataSource().getConnection();
      c.setAutoCommit(false);
      long id;
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO feedback_report (org_name, report_id, domain, email,"
                  + " extra_contact_info, date_begin, date_end, policy_adkim, policy_aspf,"
                  + " policy_p, policy_sp, policy_np, policy_pct, policy_fo, policy_testing,"
                  + " discovery_method, version, generator, errors, source, imported_at)"
                  + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                  + " ON CONFLICT (org_name, report_id, domain) DO NOTHING RETURNING id")) {
        PolicyPublished p = m.policy();
        int i = 0;
        insert.setString(++i, m.orgName());
        insert.setString(++i, m.reportId());
        insert.setString(++i, m.domain());
        insert.setString(++i, m.email());
        insert.setString(++i, m.extraContactInfo());
        insert.setLong(++i, m.begin().getEpochSecond());
        insert.setLong(++i, m.end().getEpochSecond());
        insert.setString(++i, p.adkim());
        insert.setString(++i, p.aspf());
        insert.setString(++i, p.p());
        insert.setString(++i, p.sp());
        insert.setString(++i, p.np());
        insert.setInt(++i, p.pct());
        insert.setString(++i, p.fo());
        insert.setString(++i, p.testing());
        insert.setString(++i, p.discoveryMethod());
        insert.setString(++i, m.version());
        insert.setString(++i, m.generator());
        insert.setString(++i, String.join("\n", m.errors()));
        insert.setString(++i, source);
        insert.setLong(++i, clock.instant().getEpochSecond());
        try (ResultSet rs = insert.executeQuery()) {
          if (!rs.next()) {
            c.rollback();
            c.close();
            return null;
          }
          id = rs.getLong(1);
        }
      }
      return new Writer(c, id);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new IOException("store " + store.location().redacted() + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.rollback();
        c.close();
      } catch (SQLException ignored) {
        // the connection is broken already
      }
    }
  }

  /** Writes one report's records in batches. */
  private final class Writer implements AggregateWriter {
    private final Connection c;
    private final long id;
    private final PreparedStatement insert;
    private long seq;
    private long messages;
    private int pending;
    private boolean done;

    Writer(Connection c, long id) throws SQLException {
      this.c = c;
      this.id = id;
      this.insert =
          c.prepareStatement(
              "INSERT INTO feedback_record (report, seq, source_ip, messages, disposition,"
                  + " dkim_aligned, spf_aligned, dkim_pass, spf_pass, header_from, envelope_from,"
                  + " envelope_to, reasons, dkim_results, spf_results)"
                  + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    }

    @Override
    public void record(ReportRecord r) throws IOException {
      try {
        int i = 0;
        insert.setLong(++i, id);
        insert.setLong(++i, ++seq);
        insert.setString(++i, r.sourceIp());
        insert.setLong(++i, r.count());
        insert.setString(++i, r.disposition());
        insert.setString(++i, r.dkim());
        insert.setString(++i, r.spf());
        insert.setInt(++i, anyPass(r.dkimResults()) ? 1 : 0);
        insert.setInt(++i, anyPass(r.spfResults()) ? 1 : 0);
        insert.setString(++i, r.headerFrom());
        insert.setString(++i, r.envelopeFrom());
        insert.setString(++i, r.envelopeTo());
        insert.setString(
            ++i,
            r.reasons().stream()
                .map(x -> x.comment().isEmpty() ? x.type() : x.type() + " (" + x.comment() + ")")
                .collect(Collectors.joining("; ")));
        insert.setString(++i, results(r.dkimResults()));
        insert.setString(++i, results(r.spfResults()));
        insert.addBatch();
        messages += r.count();
        if (++pending >= BATCH) {
          insert.executeBatch();
          pending = 0;
        }
      } catch (SQLException e) {
        throw new IOException("store: " + e.getMessage(), e);
      }
    }

    @Override
    public void commit() throws IOException {
      try {
        if (pending > 0) {
          insert.executeBatch();
          pending = 0;
        }
        try (PreparedStatement update =
            c.prepareStatement(
                "UPDATE feedback_report SET records = ?, messages = ? WHERE id = ?")) {
          update.setLong(1, seq);
          update.setLong(2, messages);
          update.setLong(3, id);
          update.executeUpdate();
        }
        c.commit();
        done = true;
      } catch (SQLException e) {
        throw new IOException("store: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        insert.close();
        if (!done) {
          c.rollback();
        }
      } catch (SQLException e) {
        throw new IOException("store: " + e.getMessage(), e);
      } finally {
        try {
          c.close();
        } catch (SQLException e) {
          // returned to the pool broken; Hikari evicts it
        }
      }
    }
  }

  private static boolean anyPass(List<ReportRecord.AuthResult> results) {
    return results.stream().anyMatch(r -> r.result().equals("pass"));
  }

  /** "domain selector=result" items joined with "; ", as shown in the raw rows. */
  private static String results(List<ReportRecord.AuthResult> results) {
    return results.stream()
        .map(
            r ->
                (r.domain().isEmpty() ? "-" : r.domain())
                    + (r.selector().isEmpty() ? "" : " " + r.selector())
                    + "="
                    + r.result())
        .collect(Collectors.joining("; "));
  }

  @Override
  public boolean failure(FailureReport f, String source) throws IOException {
    String key =
        f.reportMessageId().isEmpty() ? "sha256:" + digest(f.toString()) : f.reportMessageId();
    try {
      return store.inTransaction(
          c -> {
            try (PreparedStatement insert =
                c.prepareStatement(
                    "INSERT INTO feedback_failure (dedupe_key, feedback_type, reported_domain,"
                        + " source_ip, arrival_date, original_mail_from, original_rcpt_to,"
                        + " auth_failure, identity_alignment, delivery_result, dkim_domain,"
                        + " dkim_selector, spf_dns, authentication_results, reporting_mta,"
                        + " incidents, original_from, original_subject, original_message_id,"
                        + " report_message_id, report_from, report_date, arf, source,"
                        + " imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                        + " ON CONFLICT (dedupe_key) DO NOTHING")) {
              int i = 0;
              insert.setString(++i, key);
              insert.setString(++i, f.feedbackType());
              insert.setString(++i, f.reportedDomain());
              insert.setString(++i, f.sourceIp());
              insert.setString(++i, f.arrivalDate());
              insert.setString(++i, f.originalMailFrom());
              insert.setString(++i, String.join(", ", f.originalRcptTo()));
              insert.setString(++i, f.authFailure());
              insert.setString(++i, f.identityAlignment());
              insert.setString(++i, f.deliveryResult());
              insert.setString(++i, f.dkimDomain());
              insert.setString(++i, f.dkimSelector());
              insert.setString(++i, f.spfDns());
              insert.setString(++i, String.join("\n", f.authenticationResults()));
              insert.setString(++i, f.reportingMta());
              insert.setInt(++i, f.incidents());
              insert.setString(++i, f.originalFrom());
              insert.setString(++i, f.originalSubject());
              insert.setString(++i, f.originalMessageId());
              insert.setString(++i, f.reportMessageId());
              insert.setString(++i, f.reportFrom());
              insert.setString(++i, f.reportDate());
              insert.setInt(++i, f.arf() ? 1 : 0);
              insert.setString(++i, source);
              insert.setLong(++i, clock.instant().getEpochSecond());
              return insert.executeUpdate() == 1;
            }
          });
    } catch (StoreException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static String digest(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(sha.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
