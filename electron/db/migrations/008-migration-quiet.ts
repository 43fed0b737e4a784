/** What a complete migration run leaves for the next one to tell "nothing changed" in one round trip. */
export const migrationQuietSchema = `
-- SHA-256 of the options and the source's raw LIST answer taken at the start of the last complete
-- run, and that run's folder mappings (JSON). NULL after any run that did not complete.
ALTER TABLE migration_jobs ADD COLUMN quiet_fingerprint TEXT;
ALTER TABLE migration_jobs ADD COLUMN quiet_mappings TEXT;
`;
