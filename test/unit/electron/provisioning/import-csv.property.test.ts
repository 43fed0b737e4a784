import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryVault } from '../../../fakes/memory-vault.ts';
import { openDatabase } from '../../../../electron/db/database.ts';
import { InventoryRepo } from '../../../../electron/db/inventory-repo.ts';
import { AuditJournal } from '../../../../electron/audit/audit-journal.ts';
import { AuditRecorder } from '../../../../electron/audit/audit-recorder.ts';
import { ImportService, type ImportWrites } from '../../../../electron/provisioning/import-service.ts';
import { EventBus } from '../../../../electron/platform/event-bus.ts';
import { createMemoryLogger } from '../../../../electron/platform/logger.ts';
import { appError, ok } from '../../../../shared/errors/result.ts';
import { hostileString } from '../../../support/zod-arbitrary.ts';

function service() {
  const db = openDatabase(':memory:');
  db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES ('c1', 'Main', 'postfixadmin', '{}', 'now')").run();
  const inventory = new InventoryRepo(db);
  inventory.replace('c1', {
    domains: [{ name: 'example.com', description: null, active: true, mailboxCount: 1, quotaBytes: null, usedBytes: null }],
    mailboxes: [{ address: 'ana@example.com', domain: 'example.com', displayName: 'Ana', active: true, quotaBytes: 1024 ** 3, usedBytes: 0, messageCount: 0 }],
    aliases: [{ address: 'sales@example.com', domain: 'example.com', targets: ['ana@example.com'], active: true }],
    groups: [],
    forwarding: [],
  }, 't');
  const written: string[] = [];
  const write = (method: string) => async (...args: unknown[]) => {
    written.push(method);
    return ok({ value: args, before: null, after: null });
  };
  const writes = Object.fromEntries(['createDomain', 'createMailbox', 'updateMailbox', 'setForwarding', 'upsertAlias', 'upsertGroup'].map((m) => [m, write(m)])) as unknown as ImportWrites;
  (writes as { checkWrites: ImportWrites['checkWrites'] }).checkWrites = async (_id, planned) => ok(planned.map((w) => ('quotaBytes' in w && (w.quotaBytes ?? 0) > 2 ** 40 ? appError('backend.validation', 'too big') : null)));
  const journal = new AuditJournal(db, { vault: new MemoryVault(), journalId: 'import-prop', now: () => new Date(), operator: 'test' });
  return { importer: new ImportService({ inventory, writes, recorder: new AuditRecorder({ journal, events: new EventBus(), logger: createMemoryLogger() }) }), written };
}

const COLUMNS = ['type', 'address', 'name', 'display_name', 'quota', 'quota_mb', 'active', 'password', 'targets', 'forward_to', 'keep_copy'];
const cellText = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom('domain', 'mailbox', 'alias', 'group', 'forward', 'ana@example.com', 'new@example.com', '@example.com', 'example.com', 'new.example.com', '-', 'none', 'yes', 'no', '2GiB', '0', 'Long-enough-1', 'a@example.com;b@example.com') },
  { weight: 1, arbitrary: fc.emailAddress() },
);
const quote = (cell: string, force: boolean): string => (force || /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const csvFile = fc
  .tuple(fc.uniqueArray(fc.oneof(fc.constantFrom(...COLUMNS), hostileString), { minLength: 1, maxLength: 8 }), fc.array(fc.array(fc.tuple(cellText, fc.boolean()), { maxLength: 9 }), { maxLength: 12 }), fc.boolean())
  .map(([header, rows, withAddress]) => {
    const columns = withAddress && !header.includes('address') ? ['address', ...header] : header;
    return [columns.map((c) => quote(c, false)), ...rows.map((r) => r.map(([c, forced]) => quote(c, forced)))].map((r) => r.join(',')).join('\n');
  });
const anyCsv = fc.oneof({ weight: 4, arbitrary: csvFile }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) });

describe('the CSV importer over random and hostile files', { timeout: 120_000 }, () => {
  it('always answers with a report or a Result error, never a throw or a hang, and the dry run says what the apply does', async () => {
    await fc.assert(
      fc.asyncProperty(anyCsv, fc.boolean(), async (csv, scoped) => {
        const request = { csv, ...(scoped ? { connectionId: 'c1' } : {}) };
        const started = performance.now();
        const dry = service();
        const preview = await dry.importer.run({ ...request, dryRun: true }, 'prop');
        const real = service();
        const applied = await real.importer.run({ ...request, dryRun: false }, 'prop');
        expect(performance.now() - started).toBeLessThan(5_000);
        expect(dry.written).toEqual([]);
        if (!preview.ok) {
          expect(preview.error.code).toBe('input.invalid');
          expect(applied).toEqual(preview);
          expect(real.written).toEqual([]);
          return;
        }
        if (!applied.ok) throw new Error(`the apply failed where the dry run did not: ${applied.error.message}`);
        expect(applied.value.steps).toEqual(preview.value.steps);
        const changing = preview.value.steps.filter((s) => s.kind === 'create' || s.kind === 'update').map((s) => s.line);
        expect(applied.value.applied.map((a) => [a.line, a.ok])).toEqual(changing.map((line) => [line, true]));
        expect(real.written.length >= changing.length).toBe(true);
        for (const s of preview.value.steps) {
          expect(s.detail.length).toBeLessThan(2_000);
          expect(s.address.length).toBeLessThanOrEqual(321);
        }
      }),
      { numRuns: 200 },
    );
  });
});
