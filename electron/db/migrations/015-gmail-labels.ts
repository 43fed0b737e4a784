/** Per-message state of a Gmail source copied once from All Mail, with its labels (see migration/gmail-source.ts). */
export const gmailLabelsSchema = `
-- One row per Gmail message (X-GM-MSGID) and place it goes on the target: 'append' rows are the
-- folders it is uploaded into (one, or one per label folder on a non-Gmail target under the
-- folders rule); a 'labels' row is the STORE +X-GM-LABELS step on a Gmail target. Written ahead
-- like migration_messages: 'appending' commits before the APPEND leaves, so kill -9 resumes exactly.
CREATE TABLE migration_gmail_copies (
  job_id      TEXT NOT NULL REFERENCES migration_jobs(id) ON DELETE CASCADE,
  gm_msgid    TEXT NOT NULL,
  target_path TEXT NOT NULL,
  step        TEXT NOT NULL CHECK (step IN ('append', 'labels')),
  state       TEXT NOT NULL CHECK (state IN ('pending', 'appending', 'done', 'failed')),
  msg_key     TEXT,
  target_uid  INTEGER,
  error       TEXT,
  PRIMARY KEY (job_id, gm_msgid, target_path)
) WITHOUT ROWID;
CREATE INDEX migration_gmail_open ON migration_gmail_copies (job_id, state) WHERE state <> 'done';
`;
