-- DMARC aggregate reports (RFC 9990). SQL that SQLite and PostgreSQL both run.

-- The policy published for a policy domain in a period: the last one seen (RFC 9990 §2.1: a
-- report notes the final configuration observed during the period).
CREATE TABLE report_policies (
  period_start BIGINT NOT NULL,
  policy_domain VARCHAR(255) NOT NULL,
  period_end BIGINT NOT NULL,
  org_domain VARCHAR(255) NOT NULL,
  p VARCHAR(10) NOT NULL,
  sp VARCHAR(10),
  np VARCHAR(10),
  adkim VARCHAR(1) NOT NULL,
  aspf VARCHAR(1) NOT NULL,
  discovery_method VARCHAR(10) NOT NULL,
  fo VARCHAR(255) NOT NULL,
  testing VARCHAR(1) NOT NULL,
  psd VARCHAR(1) NOT NULL,
  rua TEXT NOT NULL,
  last_seen BIGINT NOT NULL,
  PRIMARY KEY (period_start, policy_domain)
);

-- Counted rows: one per distinct record content (row_key, a SHA-256 of it) in a period. Several
-- instances add to msg_count by INSERT ... ON CONFLICT DO UPDATE, never read-modify-write.
CREATE TABLE report_rows (
  period_start BIGINT NOT NULL,
  policy_domain VARCHAR(255) NOT NULL,
  row_key VARCHAR(64) NOT NULL,
  period_end BIGINT NOT NULL,
  source_ip VARCHAR(64) NOT NULL,
  header_from VARCHAR(255) NOT NULL,
  envelope_from VARCHAR(255),
  envelope_to VARCHAR(255),
  disposition VARCHAR(10) NOT NULL,
  dkim_aligned VARCHAR(4) NOT NULL,
  spf_aligned VARCHAR(4) NOT NULL,
  reasons TEXT NOT NULL,
  spf_domain VARCHAR(255),
  spf_scope VARCHAR(10),
  spf_result VARCHAR(10),
  dkim TEXT NOT NULL,
  msg_count BIGINT NOT NULL,
  PRIMARY KEY (period_start, policy_domain, row_key)
);
CREATE INDEX report_rows_domain ON report_rows (policy_domain, period_start);

-- One job per report (policy domain and period). An instance sends it only after claiming it:
-- an UPDATE that succeeds for exactly one instance (state pending, lease free or expired).
CREATE TABLE report_jobs (
  policy_domain VARCHAR(255) NOT NULL,
  period_start BIGINT NOT NULL,
  period_end BIGINT NOT NULL,
  report_id VARCHAR(400) NOT NULL,
  state VARCHAR(10) NOT NULL,
  next_attempt BIGINT NOT NULL,
  lease_owner VARCHAR(100),
  lease_until BIGINT,
  created BIGINT NOT NULL,
  finished BIGINT,
  PRIMARY KEY (policy_domain, period_start)
);

-- One delivery per report and destination; 'sent' is final, so a report the relay accepted is
-- never sent again.
CREATE TABLE report_deliveries (
  policy_domain VARCHAR(255) NOT NULL,
  period_start BIGINT NOT NULL,
  destination VARCHAR(400) NOT NULL,
  state VARCHAR(12) NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt BIGINT NOT NULL,
  last_reply TEXT,
  updated BIGINT NOT NULL,
  PRIMARY KEY (policy_domain, period_start, destination)
);

-- Destinations that failed: suppressed until a time after too many failures.
CREATE TABLE report_destinations (
  destination VARCHAR(400) NOT NULL PRIMARY KEY,
  failures INTEGER NOT NULL,
  suppressed_until BIGINT NOT NULL,
  last_reply TEXT,
  updated BIGINT NOT NULL
);
