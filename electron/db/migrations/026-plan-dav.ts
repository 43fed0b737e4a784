/** Calendars and address books beside folders in plans: each pair's DAV URLs and what discovery found. */
export const planDavSchema = `
-- The CalDAV/CardDAV base URL of each side (no password; the IMAP side's is used) and the source
-- account's discovered calendars and address books with their item counts, or the discovery error.
ALTER TABLE migration_plan_rows ADD COLUMN source_dav TEXT;
ALTER TABLE migration_plan_rows ADD COLUMN target_dav TEXT;
ALTER TABLE migration_plan_rows ADD COLUMN dav_json TEXT;
`;
