import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { runCliInProcess, type InProcessRun } from '../../support/cli-in-process.ts';

describe('mailroom storage prices: the price table as CSV, all or nothing, journaled', () => {
  let dir: string;
  const vault = new MemoryVault();
  const cli = (...argv: string[]): Promise<InProcessRun> => runCliInProcess(argv, { dataDir: join(dir, 'data'), vault });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mr-prices-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the table, imports an edited copy after a dry run, and the journal records the change once', async () => {
    const file = join(dir, 'prices.csv');
    const exported = await cli('storage', 'prices', 'export', '--out', file);
    expect(exported.code, exported.err).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\n')[0]).toBe('id,label,kind,model,monthly,currency,included_gb_per_seat');
    expect(csv).toContain('google-business-starter,Google Workspace Business Starter,google,per-seat,7,USD,30');

    const edited = csv.replace('google-business-starter,Google Workspace Business Starter,google,per-seat,7,USD,30', 'google-business-starter,Google Workspace Business Starter,google,per-seat,8.4,USD,30').replace(/^stalwart-server,.*\n/m, '') + 'imap-box,Our IMAP box,imap,flat,12,USD,\n';
    writeFileSync(file, edited);
    const dry = await cli('storage', 'prices', 'import', file, '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('Dry run, nothing written: the import would have added imap-box; changed google-business-starter; removed stalwart-server.');
    expect((await cli('storage', 'prices', '--json')).json()['plans']).toContainEqual(expect.objectContaining({ id: 'stalwart-server' }));

    const applied = await cli('storage', 'prices', 'import', file, '--json');
    expect(applied.code, applied.err).toBe(0);
    expect(applied.json()).toMatchObject({ applied: true, added: ['imap-box'], changed: ['google-business-starter'], removed: ['stalwart-server'] });
    const table = (await cli('storage', 'prices', '--json')).json();
    expect(table['plans']).toContainEqual(expect.objectContaining({ id: 'google-business-starter', monthly: 8.4 }));
    expect(table['plans']).toContainEqual({ id: 'imap-box', label: 'Our IMAP box', kind: 'imap', model: 'flat', monthly: 12, includedBytesPerSeat: null });
    expect(table['plans']).not.toContainEqual(expect.objectContaining({ id: 'stalwart-server' }));
    expect((await cli('storage', 'prices')).out).toMatch(/imap-box\s+Our IMAP box\s+imap\s+flat\s+12\.00 USD\s+-/);

    const journal = (await cli('audit', 'list', '--action', 'storage.importPrices', '--json')).json();
    const entries = (journal['entries'] ?? journal) as { object: string; result: string }[];
    expect(entries.map((e) => e.object).sort()).toEqual(['storage.prices (csv dry run)', 'storage.prices (csv import)']);
  });

  it('refuses a file with bad rows: one line per bad row, exit 2, and the table as it was', async () => {
    const before = (await cli('storage', 'prices', '--json')).json();
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'id,label,kind,model,monthly,currency,included_gb_per_seat\nfine,Fine,google,per-seat,5,USD,\nBAD,Bad id,google,per-seat,5,USD,\nfree,Free,google,per-seat,-1,USD,\n');
    const r = await cli('storage', 'prices', 'import', file);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines[0]).toMatch(/The price CSV has 2 problems, so nothing was changed; line 3: id: lower-case letters, digits and dashes \(and 1 more\)\./);
    expect(lines.slice(1)).toEqual(['  line 3: id: lower-case letters, digits and dashes', '  line 4: monthly: a price cannot be negative']);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    expect((await cli('storage', 'prices', '--json')).json()).toEqual(before);

    writeFileSync(file, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
    const binary = await cli('storage', 'prices', 'import', file);
    expect(binary.code).toBe(2);
    expect(binary.err.trim()).toBe(`error [input.invalid]: ${file} is not a price-table CSV: it looks like a binary file.`);
    expect((await cli('storage', 'prices', 'import', join(dir, 'missing.csv'))).code).toBe(2);
  });
});
