import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, readReportFiles, toBase64, type EncodedReport } from '../../../../../renderer/features/reports/report-files.ts';
import type { ReportError } from '../../../../../shared/domain/reports.ts';

const file = (name: string, text: string): File => new File([text], name);

describe('report files for reports.ingest', () => {
  it('encodes bytes as the base64 Node reads back, across its 32 KB slices', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256);
    expect(Buffer.from(toBase64(bytes), 'base64').equals(Buffer.from(bytes))).toBe(true);
  });

  it('sends files in batches of at most 50 and lists a file too large for the console instead of sending it', async () => {
    const files = Array.from({ length: 120 }, (_, i) => file(`r${i}.xml`, `<feedback>${i}</feedback>`));
    // A stand-in that claims a size past the limit: the size alone decides, its bytes are never read.
    const huge = { name: 'huge.xml.gz', size: MAX_FILE_BYTES + 1, arrayBuffer: () => Promise.reject(new Error('read')) } as unknown as File;
    const batches: (readonly EncodedReport[])[] = [];
    const refused: ReportError[] = [];
    await readReportFiles([...files.slice(0, 60), huge, ...files.slice(60)], async (batch, r) => {
      batches.push(batch);
      refused.push(...r);
    });
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat().map((b) => b.name)).toEqual(files.map((f) => f.name));
    expect(atob(batches[2]![19]!.base64)).toBe('<feedback>119</feedback>');
    expect(refused).toEqual([{ source: 'huge.xml.gz', reason: expect.stringMatching(/larger than the 23 MB .*mailroom reports ingest --file/) }]);
  });
});
