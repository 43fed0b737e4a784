/** Migration jobs, per-folder and per-message write-ahead state, runs, and offline plans. */
export const migrationSchema = `
CREATE TABLE migration_jobs (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  status TEXT NOT NULL,
  last_error TEXT
);

CREATE TABLE migration_folders (
  job_id TEXT NOT NULL REFERENCES migration_jobs(id) ON DELETE CASCADE,
  source_path TEXT NOT NULL,
  target_path TEXT NOT NULL,
  special_use TEXT,
  source_uidvalidity INTEGER,
  source_uidnext INTEGER,
  source_messages INTEGER,
  status TEXT NOT NULL DEFAULT 'pending',
  last_error TEXT,
  PRIMARY KEY (job_id, source_path)
);

-- One row per source message, written before its APPEND (state 'appending') and settled after.
CREATE TABLE migration_messages (
  job_id TEXT NOT NULL,
  source_path TEXT NOT NULL,
  source_uidvalidity INTEGER NOT NULL,
  source_uid INTEGER NOT NULL,
  msg_key TEXT NOT NULL,
  size INTEGER NOT NULL,
  internal_date INTEGER,
  state TEXT NOT NULL CHECK (state IN ('pending', 'appending', 'done', 'skipped', 'failed')),
  target_path TEXT NOT NULL,
  batch INTEGER,
  target_uidvalidity INTEGER,
  target_uid INTEGER,
  error_code TEXT,
  error_message TEXT,
  PRIMARY KEY (job_id, source_path, source_uidvalidity, source_uid)
) WITHOUT ROWID;
CREATE INDEX migration_messages_target ON migration_messages (job_id, target_path, state);

CREATE TABLE migration_runs (
  id INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  dry_run INTEGER NOT NULL DEFAULT 0,
  summary_json TEXT
);

CREATE TABLE migration_plans (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  target_preset TEXT NOT NULL,
  options_json TEXT NOT NULL,
  summary_json TEXT NOT NULL
);

CREATE TABLE migration_plan_rows (
  plan_id TEXT NOT NULL REFERENCES migration_plans(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  inventory_json TEXT,
  estimate_json TEXT NOT NULL,
  warnings_json TEXT NOT NULL,
  PRIMARY KEY (plan_id, seq)
);
`;
