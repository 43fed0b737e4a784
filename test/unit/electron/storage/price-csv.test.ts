import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { SettingsRepo } from '../../../../electron/db/settings-repo.ts';
import { StorageRepo } from '../../../../electron/db/storage-repo.ts';
import { priceDiff, pricesFromCsv } from '../../../../electron/storage/price-csv.ts';
import { pricesToCsv } from '../../../../electron/storage/price-csv-write.ts';
import { defaultPriceTable } from '../../../../electron/storage/price-table.ts';
import { StorageService } from '../../../../electron/storage/storage-service.ts';
import type { PriceTable } from '../../../../shared/domain/storage.ts';

const HEADER = 'id,label,kind,model,monthly,currency,included_gb_per_seat';

describe('price table CSV', () => {
  it('round-trips the table: every plan, the currency, storage in GB, a label a spreadsheet would evaluate', () => {
    const table: PriceTable = { ...defaultPriceTable, plans: [...defaultPriceTable.plans, { id: 'odd', label: '=cheap, "quoted"', kind: 'imap', model: 'flat', monthly: 0.5, includedBytesPerSeat: 1_500_000_000 }] };
    const csv = pricesToCsv(table);
    expect(csv.split('\n')[0]).toBe(HEADER);
    expect(csv).toContain(`"'=cheap, ""quoted""",imap,flat,0.5,USD,1.5`);
    expect(pricesFromCsv(csv, table)).toEqual({ ok: true, table });
  });

  it('names every bad row with its line and reason, and returns no table at all', () => {
    const csv = [
      HEADER,
      'ok-plan,Fine,google,per-seat,7,USD,30',
      'Bad Id,Label,google,per-seat,7,USD,',
      'neg,Negative,google,per-seat,-3,USD,',
      'nan,Not a number,google,per-seat,seven,USD,',
      'kind,Kind,exchange,per-seat,1,USD,',
      'ok-plan,Twice,google,flat,1,USD,',
      'size,Size,google,flat,1,USD,lots',
    ].join('\n');
    const read = pricesFromCsv(csv, { ...defaultPriceTable, assignments: {} });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(read.errors[0]!.message).toMatch(/^id: lower-case letters, digits and dashes$/);
    expect(read.errors[1]!.message).toBe('monthly: a price cannot be negative');
    expect(read.errors[2]!.message).toBe('monthly: "seven" is not a price');
    expect(read.errors[3]!.message).toMatch(/^kind: /);
    expect(read.errors[4]!.message).toBe('id: "ok-plan" is already on line 2');
    expect(read.errors[5]!.message).toBe('included_gb_per_seat: "lots" is not a size in GB');
  });

  it('refuses what breaks the table as a whole: two currencies, a missing column, a dropped plan a connection is billed under, unreadable CSV', () => {
    const two = pricesFromCsv(`${HEADER}\na,A,google,flat,1,USD,\nb,B,google,flat,1,EUR,\n`, { ...defaultPriceTable, assignments: {} });
    expect(two).toEqual({ ok: false, errors: [{ line: 0, message: 'the rows name more than one currency (EUR, USD); one table has one currency' }] });
    expect(pricesFromCsv('id,label,kind\na,A,google\n', defaultPriceTable)).toMatchObject({ ok: false, errors: [{ line: 1, message: expect.stringContaining('the header lacks model, monthly, currency') }] });
    const billed = pricesFromCsv(`${HEADER}\na,A,google,flat,1,USD,\n`, { ...defaultPriceTable, assignments: { 'conn-1': 'google-business-standard' } });
    expect(billed).toMatchObject({ ok: false, errors: [{ line: 0, message: expect.stringContaining('connection conn-1 is billed under plan "google-business-standard"') }] });
    expect(pricesFromCsv(`${HEADER}\n"a,A,google\n`, defaultPriceTable)).toMatchObject({ ok: false, errors: [{ message: expect.stringContaining('not readable as CSV') }] });
  });

  it('says which plans an import adds, changes and removes', () => {
    const next: PriceTable = { ...defaultPriceTable, plans: [{ ...defaultPriceTable.plans[0]!, monthly: 8 }, ...defaultPriceTable.plans.slice(2), { id: 'new', label: 'New', kind: 'imap', model: 'flat', monthly: 1, includedBytesPerSeat: null }] };
    expect(priceDiff(defaultPriceTable, next)).toEqual({ added: ['new'], changed: ['google-business-starter'], removed: ['google-business-standard'] });
  });

  it('applies a good file whole, leaves the table untouched on a bad one, and writes nothing on a dry run', async () => {
    const storage = new StorageService(new StorageRepo(openDatabase(':memory:')), new SettingsRepo(openDatabase(':memory:')));
    const good = `${HEADER}\nbox,Our box,postfixadmin,flat,35,EUR,\n`;
    const dry = await storage.importPrices({ csv: good, dryRun: true });
    expect(dry).toMatchObject({ ok: true, value: { applied: false, added: ['box'] } });
    expect(storage.prices()).toEqual(defaultPriceTable);
    const bad = await storage.importPrices({ csv: `${good}x,,postfixadmin,flat,1,EUR,\n`, dryRun: false });
    expect(bad).toMatchObject({ ok: false, error: { code: 'input.invalid', message: 'The price CSV has 1 problem, so nothing was changed; line 3: label: a name is required.', detail: { rows: [{ line: 3 }] } } });
    expect(storage.prices()).toEqual(defaultPriceTable);
    expect(await storage.importPrices({ csv: good, dryRun: false })).toMatchObject({ ok: true, value: { applied: true } });
    expect(storage.prices()).toEqual({ currency: 'EUR', plans: [{ id: 'box', label: 'Our box', kind: 'postfixadmin', model: 'flat', monthly: 35, includedBytesPerSeat: null }], assignments: {} });
    expect(storage.exportPrices()).toBe(`${HEADER}\nbox,Our box,postfixadmin,flat,35,EUR,\n`);
  });
});
