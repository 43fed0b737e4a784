/** Connections (no secrets), domains, mailboxes, settings and the hash-chained audit journal. */
export const foundation = `
CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  secret_ref TEXT,
  created_at TEXT NOT NULL,
  last_test_at TEXT,
  last_test_ok INTEGER,
  last_test_message TEXT
);

CREATE TABLE domains (
  id INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  mailbox_count INTEGER,
  quota_bytes INTEGER,
  used_bytes INTEGER,
  refreshed_at TEXT,
  UNIQUE (connection_id, name)
);

CREATE TABLE mailboxes (
  id INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  domain TEXT NOT NULL,
  display_name TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  quota_bytes INTEGER,
  used_bytes INTEGER,
  message_count INTEGER,
  refreshed_at TEXT,
  UNIQUE (connection_id, address)
);
CREATE INDEX mailboxes_domain ON mailboxes (domain);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL
);

CREATE TABLE audit_journal (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  operator TEXT NOT NULL,
  action TEXT NOT NULL,
  connection_id TEXT,
  object TEXT,
  before_json TEXT,
  after_json TEXT,
  result TEXT NOT NULL CHECK (result IN ('ok', 'error')),
  error_code TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_journal_action ON audit_journal (action);

-- The head records the last link, so deleting the newest rows is detected too.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);

CREATE TRIGGER audit_journal_no_update BEFORE UPDATE ON audit_journal
BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;
CREATE TRIGGER audit_journal_no_delete BEFORE DELETE ON audit_journal
BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;
`;
