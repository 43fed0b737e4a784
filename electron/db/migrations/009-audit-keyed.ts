/** The keyed audit journal: a per-entry content seal and a guard that keeps sequence numbers in order. */
export const auditKeyedSchema = `
-- HMAC-SHA-256 of an entry's content under the journal key (kept in the OS keychain, never here).
-- NULL on entries written before the journal was keyed; the keychain records where those end.
ALTER TABLE audit_journal ADD COLUMN content_mac TEXT;
-- audit_head is no longer written: the newest entry is anchored in the keychain instead.
CREATE TRIGGER audit_journal_in_order BEFORE INSERT ON audit_journal
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM audit_journal)
BEGIN SELECT RAISE(ABORT, 'audit journal entries are numbered in order'); END;
`;
