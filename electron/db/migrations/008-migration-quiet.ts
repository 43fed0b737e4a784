/** What a complete migration run leaves for the next one to tell "nothing changed" in one round trip. */
export const migrationQuietSchema = `
-- SHA-256 of the options and the source's raw LIST answer taken at the start of the last complete
-- run, and that run's folder mappings (JSON). NULL after any run that did not complete.
ALTER TABLE migration_jobs ADD COLUMN quiet_fingerprint TEXT;
ALTER TABLE migration_jobs ADD COLUMN quiet_mappings TEXT;
-- Every run's report lists its failures; without this it scans the whole job's messages to find a few.
CREATE INDEX migration_messages_failed ON migration_messages (job_id, source_path, source_uid) WHERE state = 'failed';
-- Counts by folder and state (every run's report, and the quiet check) read this instead of every row.
CREATE INDEX migration_messages_state ON migration_messages (job_id, source_path, state, size);
`;
