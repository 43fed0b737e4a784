/** Probed capabilities per connection, and the index behind prefix search and keyset paging of mailboxes. */
export const consoleSchema = `
CREATE TABLE connection_capabilities (
  connection_id TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
  probed_at TEXT NOT NULL,
  capabilities_json TEXT NOT NULL
);

-- Keyset order of the mailbox table ((address, connection_id) is unique across connections); 1-2 character
-- searches are a prefix range over it instead of a LIKE '%x%' scan.
CREATE INDEX mailboxes_address_key ON mailboxes (address, connection_id);
`;
