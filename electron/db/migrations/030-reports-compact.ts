/**
 * Compact aggregate-report records, converted in place. A record's disposition, identifiers and DKIM/SPF results
 * (its "shape") repeat across a domain's reports, so each distinct shape is stored once and a record keeps a small
 * integer reference to it; source IPs become 4 or 16 bytes (ip_bytes, registered by openDatabase); records are
 * clustered by report (WITHOUT ROWID, no separate report index); the per-IP index holds only records that failed
 * DMARC, the only ones looked up by IP (forwards failing at receivers).
 */
export const reportsCompactSchema = `
CREATE TABLE dmarc_record_shapes (
  id INTEGER PRIMARY KEY,
  disposition TEXT NOT NULL,
  header_from TEXT NOT NULL,
  envelope_from TEXT,
  -- {"d":[{domain,selector,result}],"s":[{domain,scope,result}],"r":[{type,comment}]}
  auth_json TEXT NOT NULL
);
-- The parser never yields an empty envelope_from, so '' stands for NULL without a collision.
CREATE UNIQUE INDEX dmarc_record_shapes_key ON dmarc_record_shapes (auth_json, header_from, disposition, ifnull(envelope_from, ''));
INSERT INTO dmarc_record_shapes (disposition, header_from, envelope_from, auth_json)
  SELECT DISTINCT disposition, header_from, envelope_from, auth_json FROM dmarc_records;
CREATE TABLE dmarc_records_compact (
  report INTEGER NOT NULL REFERENCES dmarc_reports (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  ip BLOB NOT NULL,
  count INTEGER NOT NULL,
  -- bit 0: DMARC's DKIM verdict passed (aligned); bit 1: its SPF verdict passed (aligned)
  verdict INTEGER NOT NULL,
  shape INTEGER NOT NULL REFERENCES dmarc_record_shapes (id),
  PRIMARY KEY (report, seq)
) WITHOUT ROWID;
INSERT INTO dmarc_records_compact (report, seq, ip, count, verdict, shape)
  SELECT d.report, row_number() OVER (PARTITION BY d.report ORDER BY d.rowid), ip_bytes(d.source_ip), d.count, d.verdict, s.id
    FROM dmarc_records d JOIN dmarc_record_shapes s
      ON s.auth_json = d.auth_json AND s.header_from = d.header_from AND s.disposition = d.disposition AND ifnull(s.envelope_from, '') = ifnull(d.envelope_from, '')
   ORDER BY d.report, d.rowid;
DROP TABLE dmarc_records;
ALTER TABLE dmarc_records_compact RENAME TO dmarc_records;
CREATE INDEX dmarc_records_failing_ip ON dmarc_records (ip) WHERE verdict = 0;
`;
