/** Indexes behind the mailbox table's orders (domain, used, quota, usage %) and its status and near-quota filters. */
export const mailboxOrderSchema = `
-- Each expression is written exactly as electron/db/mailbox-search.ts queries it: SQLite uses an expression
-- index only for a textually identical expression. The trailing (address, connection_id) makes each a keyset.
CREATE INDEX mailboxes_domain_key ON mailboxes (domain, address, connection_id);
CREATE INDEX mailboxes_used_key ON mailboxes (coalesce(used_bytes, -1), address, connection_id);
CREATE INDEX mailboxes_quota_key ON mailboxes (coalesce(quota_bytes, 9007199254740991), address, connection_id);
CREATE INDEX mailboxes_usage_key ON mailboxes ((CASE WHEN quota_bytes > 0 THEN coalesce(used_bytes, 0) * 1.0 / quota_bytes ELSE -1 END), address, connection_id);
-- Suspended mailboxes are a few percent of the rows: a partial index finds them without a scan.
CREATE INDEX mailboxes_suspended ON mailboxes (address, connection_id) WHERE active = 0;
`;
