import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { ReportsRepo } from '../../../../electron/db/reports-repo.ts';
import { ReportsService } from '../../../../electron/reports/reports-service.ts';
import { aggregateXml, gz, tlsJson } from '../../../support/dmarc-reports.ts';

describe('raw reports are kept only on request', () => {
  it('stores parsed rows without the raw bytes by default, and the exact input bytes with keepRaw', async () => {
    const db = openDatabase(':memory:');
    const service = new ReportsService(new ReportsRepo(db));
    const plain = { name: 'a.xml.gz', bytes: gz(aggregateXml({ id: 'raw-a', domain: 'raw.test', records: [{ ip: '192.0.2.1', count: 2 }] })) };
    const tls = { name: 't.json.gz', bytes: gz(tlsJson({ id: 'raw-t', domain: 'raw.test', ok: 5, failed: [] })) };
    expect((await service.ingest([plain, tls])).stored).toEqual({ aggregate: 1, tls: 1, failure: 0 });
    const kept = { name: 'b.xml.gz', bytes: gz(aggregateXml({ id: 'raw-b', domain: 'raw.test', records: [{ ip: '192.0.2.2', count: 3 }] })) };
    const keptTls = { name: 'u.json.gz', bytes: gz(tlsJson({ id: 'raw-u', domain: 'raw.test', ok: 1, failed: [] })) };
    expect((await service.ingest([kept, keptTls], { keepRaw: true })).stored).toEqual({ aggregate: 1, tls: 1, failure: 0 });

    const raw = (table: string, id: string): Buffer | null => (db.prepare(`SELECT raw FROM ${table} WHERE report_id = ?`).get(id) as { raw: Buffer | null }).raw;
    expect(raw('dmarc_reports', 'raw-a')).toBeNull();
    expect(raw('tls_reports', 'raw-t')).toBeNull();
    expect(Buffer.compare(raw('dmarc_reports', 'raw-b')!, kept.bytes)).toBe(0);
    expect(Buffer.compare(raw('tls_reports', 'raw-u')!, keptTls.bytes)).toBe(0);
  });
});
