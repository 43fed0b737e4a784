/**
 * DMARC aggregate, SMTP TLS and DMARC failure reports. Compact by design (a year of reports for
 * 1,000 domains): one row a report, one a record, verdicts as bits, the raw report only on request.
 */
export const reportsSchema = `
CREATE TABLE dmarc_reports (
  id INTEGER PRIMARY KEY,
  org TEXT NOT NULL,
  report_id TEXT NOT NULL,
  domain TEXT NOT NULL,
  begin_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  schema TEXT NOT NULL,
  policy_json TEXT NOT NULL,
  messages INTEGER NOT NULL,
  dmarc_pass INTEGER NOT NULL,
  raw BLOB,
  UNIQUE (org, report_id)
);
CREATE INDEX dmarc_reports_domain ON dmarc_reports (domain, end_at);
CREATE TABLE dmarc_records (
  report INTEGER NOT NULL REFERENCES dmarc_reports (id) ON DELETE CASCADE,
  source_ip TEXT NOT NULL,
  count INTEGER NOT NULL,
  -- bit 0: DMARC's DKIM verdict passed (aligned); bit 1: its SPF verdict passed (aligned)
  verdict INTEGER NOT NULL,
  disposition TEXT NOT NULL,
  header_from TEXT NOT NULL,
  envelope_from TEXT,
  auth_json TEXT NOT NULL
);
CREATE INDEX dmarc_records_report ON dmarc_records (report);
CREATE INDEX dmarc_records_ip ON dmarc_records (source_ip);
CREATE TABLE tls_reports (
  id INTEGER PRIMARY KEY,
  org TEXT NOT NULL,
  report_id TEXT NOT NULL,
  begin_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  raw BLOB,
  UNIQUE (org, report_id)
);
CREATE TABLE tls_policies (
  report INTEGER NOT NULL REFERENCES tls_reports (id) ON DELETE CASCADE,
  policy_domain TEXT NOT NULL,
  policy_type TEXT NOT NULL,
  successful INTEGER NOT NULL,
  failed INTEGER NOT NULL
);
CREATE INDEX tls_policies_domain ON tls_policies (policy_domain);
CREATE TABLE tls_failures (
  report INTEGER NOT NULL REFERENCES tls_reports (id) ON DELETE CASCADE,
  policy_domain TEXT NOT NULL,
  result_type TEXT NOT NULL,
  receiving_mx TEXT,
  sending_ip TEXT,
  receiving_ip TEXT,
  sessions INTEGER NOT NULL
);
CREATE INDEX tls_failures_domain ON tls_failures (policy_domain);
CREATE TABLE failure_reports (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  reporter TEXT,
  domain TEXT NOT NULL,
  source_ip TEXT,
  arrival INTEGER,
  auth_failure TEXT,
  original_from TEXT,
  original_subject TEXT,
  format TEXT NOT NULL,
  stored_at INTEGER NOT NULL
);
CREATE INDEX failure_reports_domain ON failure_reports (domain);
CREATE TABLE report_errors (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  source TEXT NOT NULL,
  reason TEXT NOT NULL
);
`;
