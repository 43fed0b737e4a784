/** Deliverability: stored check runs (history, score chart, drift) and the monitored-domain list. */
export const deliverability = `
CREATE TABLE dns_check_runs (
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL,
  at TEXT NOT NULL,
  profile TEXT NOT NULL,
  score INTEGER NOT NULL,
  counts_json TEXT NOT NULL,
  findings_json TEXT NOT NULL
);
CREATE INDEX dns_check_runs_domain_at ON dns_check_runs (domain, at);

CREATE TABLE dns_monitored_domains (
  domain TEXT PRIMARY KEY,
  profile TEXT NOT NULL,
  dkim_selectors_json TEXT NOT NULL,
  sending_ips_json TEXT NOT NULL,
  interval_minutes INTEGER NOT NULL CHECK (interval_minutes >= 5),
  added_at TEXT NOT NULL,
  last_run_at TEXT
);
`;
