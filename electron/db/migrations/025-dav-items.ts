/** Write-ahead state of calendar and address-book copies (see dav/dav-collection-copy.ts). */
export const davItemsSchema = `
-- One row per source collection of a DAV job: the target it maps to and the change tags seen at
-- the end of the last complete pass, so a re-run whose tags are unchanged lists nothing.
CREATE TABLE dav_collections (
  job_id        TEXT NOT NULL,
  source_url    TEXT NOT NULL,
  target_url    TEXT NOT NULL,
  source_tag    TEXT,
  target_tag    TEXT,
  PRIMARY KEY (job_id, source_url)
) WITHOUT ROWID;
-- One row per item (by iCalendar/vCard UID). 'writing' commits before the PUT leaves; the PUT goes
-- to a name fixed by the row, so a resumed write replaces its own half-done copy, never adds one.
CREATE TABLE dav_items (
  job_id        TEXT NOT NULL,
  source_url    TEXT NOT NULL,
  uid           TEXT NOT NULL,
  target_href   TEXT NOT NULL,
  source_etag   TEXT,
  state         TEXT NOT NULL CHECK (state IN ('writing', 'done', 'failed')),
  error         TEXT,
  PRIMARY KEY (job_id, source_url, uid)
) WITHOUT ROWID;
`;
