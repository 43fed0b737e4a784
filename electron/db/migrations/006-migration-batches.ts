/** Migration batches run from the console: one row per batch and per mailbox pair; plan rows learn their connections. */
export const migrationBatchesSchema = `
ALTER TABLE migration_plan_rows ADD COLUMN source_connection_id TEXT;
ALTER TABLE migration_plan_rows ADD COLUMN target_connection_id TEXT;
ALTER TABLE migration_plan_rows ADD COLUMN has_source_secret INTEGER NOT NULL DEFAULT 0;
ALTER TABLE migration_plan_rows ADD COLUMN has_target_secret INTEGER NOT NULL DEFAULT 0;

CREATE TABLE migration_batches (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL,
  plan_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'pausing', 'paused', 'interrupted', 'cancelled', 'done', 'failed')),
  dry_run INTEGER NOT NULL DEFAULT 0,
  options_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE migration_batch_pairs (
  batch_id TEXT NOT NULL REFERENCES migration_batches(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  job_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'done', 'incomplete', 'failed', 'cancelled')),
  passes INTEGER NOT NULL DEFAULT 0,
  counters_json TEXT NOT NULL DEFAULT '{}',
  started_at TEXT,
  finished_at TEXT,
  error_code TEXT,
  error_message TEXT,
  report_json TEXT,
  verified_at TEXT,
  PRIMARY KEY (batch_id, seq)
);
`;
