package org.authmill.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of sending: report jobs and their claims, deliveries, destination suppression. A job is
 * claimed by one UPDATE whose WHERE clause only one instance can satisfy (state pending, lease free
 * or expired); the database decides, not timing.
 */
final class JobStore {
  private JobStore() {}

  /** A report to send: a policy domain and period. */
  record Job(String policyDomain, long periodStart, long periodEnd) {}

  /** A delivery of a report to one destination. */
  record Delivery(String destination, String state, int attempts, long nextAttempt) {
    boolean terminal() {
      return !state.equals("pending");
    }
  }

  /** Policies whose period ended at least {@code delay} seconds before {@code now}, without job. */
  static List<Job> unscheduled(Connection c, long now, long delay) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT p.policy_domain, p.period_start, p.period_end FROM report_policies p"
                + " WHERE p.period_end + 1 + ? <= ? AND NOT EXISTS (SELECT 1 FROM report_jobs j"
                + " WHERE j.policy_domain = p.policy_domain AND j.period_start = p.period_start)"
                + " ORDER BY p.period_start, p.policy_domain")) {
      ps.setLong(1, delay);
      ps.setLong(2, now);
      return jobs(ps);
    }
  }

  /** Creates the job unless another instance did. */
  static void create(Connection c, Job job, String reportId, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO report_jobs (policy_domain, period_start, period_end, report_id, state,"
                + " next_attempt, created) VALUES (?, ?, ?, ?, 'pending', ?, ?)"
                + " ON CONFLICT (policy_domain, period_start) DO NOTHING")) {
      ps.setString(1, job.policyDomain());
      ps.setLong(2, job.periodStart());
      ps.setLong(3, job.periodEnd());
      ps.setString(4, reportId);
      ps.setLong(5, now);
      ps.setLong(6, now);
      ps.executeUpdate();
    }
  }

  /** Pending jobs due now whose lease is free. */
  static List<Job> claimable(Connection c, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT policy_domain, period_start, period_end FROM report_jobs"
                + " WHERE state = 'pending' AND next_attempt <= ?"
                + " AND (lease_until IS NULL OR lease_until < ?)"
                + " ORDER BY period_start, policy_domain")) {
      ps.setLong(1, now);
      ps.setLong(2, now);
      return jobs(ps);
    }
  }

  /**
   * Claims a job for an owner until {@code leaseUntil}: true for exactly one of several instances
   * trying at once.
   */
  static boolean claim(Connection c, Job job, String owner, long now, long leaseUntil)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE report_jobs SET lease_owner = ?, lease_until = ?"
                + " WHERE policy_domain = ? AND period_start = ? AND state = 'pending'"
                + " AND next_attempt <= ? AND (lease_until IS NULL OR lease_until < ?)")) {
      ps.setString(1, owner);
      ps.setLong(2, leaseUntil);
      ps.setString(3, job.policyDomain());
      ps.setLong(4, job.periodStart());
      ps.setLong(5, now);
      ps.setLong(6, now);
      return ps.executeUpdate() == 1;
    }
  }

  /** Extends the lease: true while the owner still holds the job. */
  static boolean renew(Connection c, Job job, String owner, long leaseUntil) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE report_jobs SET lease_until = ? WHERE policy_domain = ? AND period_start = ?"
                + " AND state = 'pending' AND lease_owner = ?")) {
      ps.setLong(1, leaseUntil);
      ps.setString(2, job.policyDomain());
      ps.setLong(3, job.periodStart());
      ps.setString(4, owner);
      return ps.executeUpdate() == 1;
    }
  }

  /** Releases the job: done, or pending again from {@code nextAttempt}. */
  static void release(Connection c, Job job, String owner, boolean done, long nextAttempt, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE report_jobs SET state = ?, next_attempt = ?, lease_owner = NULL,"
                + " lease_until = NULL, finished = ? WHERE policy_domain = ? AND period_start = ?"
                + " AND lease_owner = ?")) {
      ps.setString(1, done ? "done" : "pending");
      ps.setLong(2, nextAttempt);
      if (done) {
        ps.setLong(3, now);
      } else {
        ps.setNull(3, java.sql.Types.BIGINT);
      }
      ps.setString(4, job.policyDomain());
      ps.setLong(5, job.periodStart());
      ps.setString(6, owner);
      ps.executeUpdate();
    }
  }

  /** The delivery of a job to a destination, created pending when missing. */
  static Delivery delivery(Connection c, Job job, String destination, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO report_deliveries (policy_domain, period_start, destination, state,"
                + " attempts, next_attempt, updated) VALUES (?, ?, ?, 'pending', 0, ?, ?)"
                + " ON CONFLICT (policy_domain, period_start, destination) DO NOTHING")) {
      ps.setString(1, job.policyDomain());
      ps.setLong(2, job.periodStart());
      ps.setString(3, destination);
      ps.setLong(4, now);
      ps.setLong(5, now);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, attempts, next_attempt FROM report_deliveries"
                + " WHERE policy_domain = ? AND period_start = ? AND destination = ?")) {
      ps.setString(1, job.policyDomain());
      ps.setLong(2, job.periodStart());
      ps.setString(3, destination);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Delivery(destination, rs.getString(1), rs.getInt(2), rs.getLong(3));
      }
    }
  }

  /** Records a delivery's new state. */
  static void update(
      Connection c,
      Job job,
      Delivery d,
      String state,
      int attempts,
      long next,
      String reply,
      long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE report_deliveries SET state = ?, attempts = ?, next_attempt = ?,"
                + " last_reply = ?, updated = ? WHERE policy_domain = ? AND period_start = ?"
                + " AND destination = ?")) {
      ps.setString(1, state);
      ps.setInt(2, attempts);
      ps.setLong(3, next);
      ps.setString(4, reply.length() > 1000 ? reply.substring(0, 1000) : reply);
      ps.setLong(5, now);
      ps.setString(6, job.policyDomain());
      ps.setLong(7, job.periodStart());
      ps.setString(8, d.destination());
      ps.executeUpdate();
    }
  }

  /** Every delivery of a job. */
  static List<Delivery> deliveries(Connection c, Job job) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT destination, state, attempts, next_attempt FROM report_deliveries"
                + " WHERE policy_domain = ? AND period_start = ? ORDER BY destination")) {
      ps.setString(1, job.policyDomain());
      ps.setLong(2, job.periodStart());
      List<Delivery> list = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          list.add(new Delivery(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
        }
      }
      return list;
    }
  }

  /** Until when a destination is suppressed, if it is at {@code now}. */
  static Optional<Long> suppressedUntil(Connection c, String address, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT suppressed_until FROM report_destinations WHERE destination = ?")) {
      ps.setString(1, address);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getLong(1) > now) {
          return Optional.of(rs.getLong(1));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Counts a failure of a destination (atomically); after {@code threshold} failures it is
   * suppressed until {@code now + suppressFor}.
   *
   * @return true when this failure suppressed it
   */
  static boolean failure(
      Connection c, String address, String reply, long now, int threshold, long suppressFor)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO report_destinations AS t (destination, failures, suppressed_until,"
                + " last_reply, updated) VALUES (?, 1, 0, ?, ?) ON CONFLICT (destination)"
                + " DO UPDATE SET failures = t.failures + 1, last_reply = excluded.last_reply,"
                + " updated = excluded.updated")) {
      ps.setString(1, address);
      ps.setString(2, reply.length() > 1000 ? reply.substring(0, 1000) : reply);
      ps.setLong(3, now);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE report_destinations SET suppressed_until = ?, failures = 0"
                + " WHERE destination = ? AND failures >= ?")) {
      ps.setLong(1, now + suppressFor);
      ps.setString(2, address);
      ps.setInt(3, threshold);
      return ps.executeUpdate() == 1;
    }
  }

  /** Clears a destination's failure count after a success. */
  static void success(Connection c, String address) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE report_destinations SET failures = 0 WHERE destination = ?")) {
      ps.setString(1, address);
      ps.executeUpdate();
    }
  }

  /**
   * Deletes what is kept for reports that are done and whose period ended before {@code before}:
   * their rows, policy, deliveries and job.
   *
   * @return how many reports were removed
   */
  static int purge(Connection c, long before) throws SQLException {
    String done =
        " IN (SELECT policy_domain || '|' || period_start FROM report_jobs"
            + " WHERE state = 'done' AND period_end < ?)";
    for (String table : List.of("report_rows", "report_policies", "report_deliveries")) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM " + table + " WHERE policy_domain || '|' || period_start" + done)) {
        ps.setLong(1, before);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM report_jobs WHERE state = 'done' AND period_end < ?")) {
      ps.setLong(1, before);
      return ps.executeUpdate();
    }
  }

  private static List<Job> jobs(PreparedStatement ps) throws SQLException {
    List<Job> list = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        list.add(new Job(rs.getString(1), rs.getLong(2), rs.getLong(3)));
      }
    }
    return list;
  }
}
