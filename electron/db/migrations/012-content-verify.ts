/** Verification by content: the hash of each message's bytes as read from the source, and whether the target's copy matched it. */
export const contentVerifySchema = `
-- Hex SHA-1 of the exact bytes read from the source for the APPEND, written ahead with the
-- 'appending' step (NULL for rows copied before this step, or found already on the target).
ALTER TABLE migration_messages ADD COLUMN content_sha1 TEXT;
-- 1 once the target's copy was hashed and matched; NULL while not checked yet.
ALTER TABLE migration_messages ADD COLUMN content_checked INTEGER;
-- Each run checks only the copies not checked yet: this keeps that lookup to those rows.
CREATE INDEX migration_messages_unchecked ON migration_messages (job_id, target_path, target_uid) WHERE state = 'done' AND content_checked IS NULL;
`;
