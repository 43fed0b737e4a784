/** Provisioning cache: aliases, groups, forwarding, stale markers, refresh state and trigram search over mailboxes. */
export const provisioning = `
ALTER TABLE domains ADD COLUMN alias_domains_json TEXT;
ALTER TABLE domains ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN forward_json TEXT;
ALTER TABLE mailboxes ADD COLUMN keep_copy INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
CREATE INDEX mailboxes_connection_domain ON mailboxes (connection_id, domain, address);
CREATE INDEX mailboxes_address_nocase ON mailboxes (address COLLATE NOCASE);

CREATE TABLE aliases (
  id INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  domain TEXT NOT NULL,
  targets_json TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  refreshed_at TEXT,
  stale INTEGER NOT NULL DEFAULT 0,
  UNIQUE (connection_id, address)
);
CREATE INDEX aliases_domain ON aliases (connection_id, domain);

CREATE TABLE groups (
  id INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  domain TEXT NOT NULL,
  name TEXT,
  members_json TEXT NOT NULL,
  refreshed_at TEXT,
  stale INTEGER NOT NULL DEFAULT 0,
  UNIQUE (connection_id, address)
);
CREATE INDEX groups_domain ON groups (connection_id, domain);

CREATE TABLE cache_state (
  connection_id TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
  refreshed_at TEXT,
  last_attempt_at TEXT NOT NULL,
  last_error_code TEXT,
  last_error TEXT,
  duration_ms INTEGER
);

-- Trigram FTS answers substring search (search-as-you-type) without scanning 100k rows.
CREATE VIRTUAL TABLE mailboxes_fts USING fts5(
  address, display_name, content = 'mailboxes', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER mailboxes_fts_insert AFTER INSERT ON mailboxes BEGIN
  INSERT INTO mailboxes_fts (rowid, address, display_name) VALUES (new.id, new.address, new.display_name);
END;
CREATE TRIGGER mailboxes_fts_delete AFTER DELETE ON mailboxes BEGIN
  INSERT INTO mailboxes_fts (mailboxes_fts, rowid, address, display_name) VALUES ('delete', old.id, old.address, old.display_name);
END;
CREATE TRIGGER mailboxes_fts_update AFTER UPDATE OF address, display_name ON mailboxes BEGIN
  INSERT INTO mailboxes_fts (mailboxes_fts, rowid, address, display_name) VALUES ('delete', old.id, old.address, old.display_name);
  INSERT INTO mailboxes_fts (rowid, address, display_name) VALUES (new.id, new.address, new.display_name);
END;
`;
