-- Received DMARC reports (issue 16): one row per aggregate report, one per record, one per
-- failure report. A report is identified by reporting organization, report id and policy
-- domain (RFC 9990 §3.1.1.1); a second copy is not stored.
CREATE TABLE feedback_report (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_name TEXT NOT NULL,
  report_id TEXT NOT NULL,
  domain TEXT NOT NULL,
  email TEXT NOT NULL,
  extra_contact_info TEXT NOT NULL,
  date_begin BIGINT NOT NULL,
  date_end BIGINT NOT NULL,
  policy_adkim TEXT NOT NULL,
  policy_aspf TEXT NOT NULL,
  policy_p TEXT NOT NULL,
  policy_sp TEXT NOT NULL,
  policy_np TEXT NOT NULL,
  policy_pct INTEGER NOT NULL,
  policy_fo TEXT NOT NULL,
  policy_testing TEXT NOT NULL,
  discovery_method TEXT NOT NULL,
  version TEXT NOT NULL,
  generator TEXT NOT NULL,
  errors TEXT NOT NULL,
  source TEXT NOT NULL,
  imported_at BIGINT NOT NULL,
  records BIGINT NOT NULL DEFAULT 0,
  messages BIGINT NOT NULL DEFAULT 0,
  UNIQUE (org_name, report_id, domain)
);
CREATE INDEX feedback_report_domain ON feedback_report (domain, date_begin);

CREATE TABLE feedback_record (
  report BIGINT NOT NULL REFERENCES feedback_report (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  source_ip TEXT NOT NULL,
  messages BIGINT NOT NULL,
  disposition TEXT NOT NULL,
  dkim_aligned TEXT NOT NULL,
  spf_aligned TEXT NOT NULL,
  dkim_pass INTEGER NOT NULL,
  spf_pass INTEGER NOT NULL,
  header_from TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  envelope_to TEXT NOT NULL,
  reasons TEXT NOT NULL,
  dkim_results TEXT NOT NULL,
  spf_results TEXT NOT NULL,
  PRIMARY KEY (report, seq)
);

CREATE TABLE feedback_failure (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dedupe_key TEXT NOT NULL UNIQUE,
  feedback_type TEXT NOT NULL,
  reported_domain TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  arrival_date TEXT NOT NULL,
  original_mail_from TEXT NOT NULL,
  original_rcpt_to TEXT NOT NULL,
  auth_failure TEXT NOT NULL,
  identity_alignment TEXT NOT NULL,
  delivery_result TEXT NOT NULL,
  dkim_domain TEXT NOT NULL,
  dkim_selector TEXT NOT NULL,
  spf_dns TEXT NOT NULL,
  authentication_results TEXT NOT NULL,
  reporting_mta TEXT NOT NULL,
  incidents INTEGER NOT NULL,
  original_from TEXT NOT NULL,
  original_subject TEXT NOT NULL,
  original_message_id TEXT NOT NULL,
  report_message_id TEXT NOT NULL,
  report_from TEXT NOT NULL,
  report_date TEXT NOT NULL,
  arf INTEGER NOT NULL,
  source TEXT NOT NULL,
  imported_at BIGINT NOT NULL
);
CREATE INDEX feedback_failure_domain ON feedback_failure (reported_domain);
