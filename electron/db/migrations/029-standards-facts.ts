/** Facts the platform-setting and last-login standard rules read, cached on refresh like the rest of the inventory. */
export const standardsFactsSchema = `
-- last_login_at: ISO time, 'never', or NULL when the platform does not report logins.
ALTER TABLE mailboxes ADD COLUMN last_login_at TEXT;
-- 1 or 0; NULL when the platform does not report 2-Step Verification per user.
ALTER TABLE mailboxes ADD COLUMN two_step_enforced INTEGER;
-- {"low":…,"high":…} in force for the mailbox; NULL when not read.
ALTER TABLE mailboxes ADD COLUMN spam_threshold_json TEXT;
-- Tenant-wide settings of one connection (Microsoft security defaults), as the last refresh read them.
CREATE TABLE tenant_settings (
  connection_id TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
  settings_json TEXT NOT NULL,
  refreshed_at  TEXT NOT NULL
);
`;
