/** Per-folder CONDSTORE bookkeeping (RFC 7162): what the next delta pass asks the source for changes since. */
export const migrationModseqSchema = `
-- UIDVALIDITY and HIGHESTMODSEQ of a source folder as the last complete pass saw them at its start.
-- The mod-sequence is an unsigned 63-bit number, kept as decimal text (beyond JavaScript's exact integers).
CREATE TABLE migration_folder_modseq (
  job_id TEXT NOT NULL REFERENCES migration_jobs(id) ON DELETE CASCADE,
  source_path TEXT NOT NULL,
  source_uidvalidity INTEGER NOT NULL,
  highest_modseq TEXT NOT NULL,
  PRIMARY KEY (job_id, source_path)
);
`;
