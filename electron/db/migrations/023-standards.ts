/**
 * Customers and standards. A connection's `customer` is the MSP's client it belongs to (its domains
 * inherit it); it is not Google's Directory customer id, which stays in the connection's settings.
 * Standards are stored as their JSON document; deviations keep `since` across evaluations while they
 * hold, and acceptances say who accepted what and why.
 */
export const standardsSchema = `
ALTER TABLE connections ADD COLUMN customer TEXT;
CREATE INDEX connections_customer ON connections (customer);
CREATE TABLE standards (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  version INTEGER NOT NULL,
  document_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE standard_evaluations (
  id INTEGER PRIMARY KEY,
  standard TEXT NOT NULL REFERENCES standards (name) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  at TEXT NOT NULL,
  evaluation_json TEXT NOT NULL
);
CREATE INDEX standard_evaluations_at ON standard_evaluations (standard, at);
-- The deviations that held at the latest evaluation; a row goes when its deviation does.
CREATE TABLE standard_deviations (
  standard TEXT NOT NULL REFERENCES standards (name) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  target TEXT NOT NULL,
  since TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (standard, rule, target)
);
-- target '*' accepts the rule everywhere.
CREATE TABLE standard_acceptances (
  standard TEXT NOT NULL REFERENCES standards (name) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  target TEXT NOT NULL,
  reason TEXT NOT NULL,
  accepted_by TEXT NOT NULL,
  accepted_at TEXT NOT NULL,
  PRIMARY KEY (standard, rule, target)
);
`;
