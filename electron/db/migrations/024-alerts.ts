/** Alerts that do not cry wolf: per-source evaluation counters, candidate streaks, alerts and their destinations. */
export const alertsSchema = `
-- How many evaluations each source has had: a candidate's streak grows only when it was seen in
-- the evaluation right before (seen_eval = evaluations - 1), so one gap restarts it.
CREATE TABLE alert_sources (
  source      TEXT PRIMARY KEY,
  evaluations INTEGER NOT NULL,
  last_at     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE alert_streaks (
  source    TEXT NOT NULL REFERENCES alert_sources(source) ON DELETE CASCADE,
  rule      TEXT NOT NULL,
  target    TEXT NOT NULL,
  streak    INTEGER NOT NULL,
  seen_eval INTEGER NOT NULL,
  PRIMARY KEY (source, rule, target)
) WITHOUT ROWID;
CREATE TABLE alerts (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL,
  rule        TEXT NOT NULL,
  target      TEXT NOT NULL,
  customer    TEXT,
  expected    TEXT NOT NULL,
  current     TEXT NOT NULL,
  raised_at   INTEGER NOT NULL,
  resolved_at INTEGER
);
-- At most one open alert per source, rule and target: nothing raises twice.
CREATE UNIQUE INDEX alerts_open ON alerts (source, rule, target) WHERE resolved_at IS NULL;
CREATE INDEX alerts_customer ON alerts (customer, raised_at);
-- Webhook URLs carry tokens: they live in the keychain; url_origin is scheme and host only.
CREATE TABLE alert_destinations (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL CHECK (kind IN ('os', 'email', 'webhook', 'slack', 'teams')),
  recipient     TEXT,
  url_origin    TEXT,
  snoozed_until INTEGER,
  created_at    INTEGER NOT NULL
) WITHOUT ROWID;
`;
