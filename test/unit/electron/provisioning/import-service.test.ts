import { MemoryVault } from '../../../fakes/memory-vault.ts';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { InventoryRepo } from '../../../../electron/db/inventory-repo.ts';
import { AuditJournal } from '../../../../electron/audit/audit-journal.ts';
import { AuditRecorder } from '../../../../electron/audit/audit-recorder.ts';
import type { PlannedWrite } from '../../../../electron/backends/adapter.ts';
import { ImportService, type ImportWrites } from '../../../../electron/provisioning/import-service.ts';
import { EventBus } from '../../../../electron/platform/event-bus.ts';
import { createMemoryLogger } from '../../../../electron/platform/logger.ts';
import { appError, err, ok } from '../../../../shared/errors/result.ts';

// Decimal, as the CLI, the console and the quota_mb column count.
const MB = 1_000_000;
const GB = 1000 * MB;

function setup() {
  const db = openDatabase(':memory:');
  db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES ('c1', 'Main', 'postfixadmin', '{}', 'now')").run();
  const inventory = new InventoryRepo(db);
  inventory.replace('c1', {
    domains: [{ name: 'example.test', description: null, active: true, mailboxCount: 2, quotaBytes: null, usedBytes: null }],
    mailboxes: [
      { address: 'alice@example.test', domain: 'example.test', displayName: 'Alice', active: true, quotaBytes: 100 * MB, usedBytes: 5, messageCount: 1 },
      { address: 'bob@example.test', domain: 'example.test', displayName: 'Bob', active: true, quotaBytes: GB, usedBytes: 5, messageCount: 1 },
    ],
    aliases: [{ address: 'sales@example.test', domain: 'example.test', targets: ['alice@example.test'], active: true }],
    groups: [],
    forwarding: [{ address: 'bob@example.test', targets: ['bob@home.test'], keepCopy: true, state: 'active' }],
  }, 't');
  const calls: [string, unknown[]][] = [];
  const checked: PlannedWrite[][] = [];
  // Records each write; a mailbox named fail@ is refused as a platform would.
  const write = (method: string) => async (...args: unknown[]) => {
    calls.push([method, args]);
    return JSON.stringify(args).includes('fail@') ? err('backend.conflict', 'refused') : ok({ value: {}, before: { was: method }, after: { now: method } });
  };
  const writes = Object.fromEntries(['createDomain', 'createMailbox', 'updateMailbox', 'setForwarding', 'upsertAlias', 'upsertGroup'].map((m) => [m, write(m)])) as unknown as ImportWrites;
  // The platform's own limit, as an adapter's checkWrites reports it: at most 2 GiB per mailbox.
  (writes as { checkWrites: ImportWrites['checkWrites'] }).checkWrites = async (_id, planned) => {
    checked.push([...planned]);
    return ok(planned.map((w) => ('quotaBytes' in w && (w.quotaBytes ?? 0) > 2 * GB ? appError('backend.validation', 'The quota exceeds the per-mailbox maximum of example.test (2000 MB).') : null)));
  };
  const journal = new AuditJournal(db, { vault: new MemoryVault(), journalId: 'import-unit', now: () => new Date(), operator: 'mailroom-test' });
  const service = new ImportService({ inventory, writes, recorder: new AuditRecorder({ journal, events: new EventBus(), logger: createMemoryLogger() }) });
  return { service, calls, checked, journal };
}

describe('CSV import service', () => {
  it('plans creates, updates, unchanged rows and errors without writing on a dry run', async () => {
    const { service, calls } = setup();
    const csv = [
      'address,display_name,quota_mb,active,password',
      'alice@example.test,Alice B,200,no,',
      'bob@example.test,Bob,1000,yes,',
      'new@example.test,New,,yes,Long-enough-1',
      'gen@example.test,,,,',
      'short@example.test,,,,abc',
      'x@unknown.test,,,,Long-enough-1',
      'not-an-address,,,,',
      'carl@example.test,,lots,,',
    ].join('\n');
    const report = await service.run({ csv, dryRun: true }, 'tester');
    expect(report.ok && report.value.steps.map((s) => s.kind)).toEqual(['update', 'unchanged', 'create', 'create', 'error', 'error', 'error', 'error']);
    if (!report.ok) return;
    expect(report.value.steps[0]).toMatchObject({ line: 2, connectionId: 'c1', detail: 'name “Alice” → “Alice B”, quota 100 MB → 200 MB, suspend' });
    expect(report.value.steps[3]!.detail).toContain('password generated');
    expect(report.value.steps[5]!.detail).toBe('No connection holds the domain unknown.test.');
    expect(report.value.counts).toEqual({ create: 2, update: 1, unchanged: 1, error: 4 });
    expect(calls).toEqual([]);
    expect(JSON.stringify(report.value)).not.toContain('Long-enough-1');
  });

  it('applies through the provisioning service: one write per change, each journaled, generated passwords reported once', async () => {
    const { service, calls, journal } = setup();
    const csv = 'type,address,name,quota,targets\nmailbox,carol@example.test,Carol,100MB,\nmailbox,alice@example.test,Alice Smith,,\nalias,sales@example.test,,,alice@example.test;carol@example.test\ndomain,example.test,,,\nforward,bob@example.test,no,,out@remote.test\n';
    const report = await service.run({ csv, connectionId: 'c1', dryRun: false }, 'tester');
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.value.steps.map((s) => `${s.kind} ${s.type}`)).toEqual(['create mailbox', 'update mailbox', 'update alias', 'unchanged domain', 'update forward']);
    expect(calls.map(([c]) => c)).toEqual(['createMailbox', 'updateMailbox', 'upsertAlias', 'setForwarding']);
    expect(calls[0]![1]).toEqual(['c1', { address: 'carol@example.test', password: report.value.applied[0]!.generatedPassword, displayName: 'Carol', quotaBytes: 100_000_000 }]);
    expect(calls[3]![1]).toEqual(['c1', 'bob@example.test', ['out@remote.test'], false]);
    expect(report.value.applied.filter((a) => a.generatedPassword)).toHaveLength(1);
    const entries = journal.list({}).entries.slice().reverse();
    expect(entries.map((e) => [e.operator, e.action, e.connectionId, e.object, e.result])).toEqual([
      ['tester', 'mailboxes.create', 'c1', 'carol@example.test', 'ok'],
      ['tester', 'mailboxes.update', 'c1', 'alice@example.test', 'ok'],
      ['tester', 'aliases.upsert', 'c1', 'sales@example.test', 'ok'],
      ['tester', 'mailboxes.setForwarding', 'c1', 'bob@example.test', 'ok'],
    ]);
    expect(entries[1]).toMatchObject({ before: { was: 'updateMailbox' }, after: { now: 'updateMailbox' } });
    expect(JSON.stringify(entries)).not.toContain(report.value.applied[0]!.generatedPassword);
  });

  it('journals a refused write as an error and stops that line; input the console refuses is neither written nor journaled', async () => {
    const { service, calls, journal } = setup();
    const csv = `address,name,active\nfail@example.test,Fail,no\nlong@example.test,${'x'.repeat(300)},\n`;
    const report = await service.run({ csv, connectionId: 'c1', dryRun: false }, 'tester');
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.applied.map((a) => [a.address, a.ok, a.error?.code])).toEqual([['fail@example.test', false, 'backend.conflict']]);
    expect(report.value.steps[1]).toMatchObject({ kind: 'error', detail: expect.stringMatching(/^Invalid input for mailboxes\.create: 1\.displayName: /) });
    // The suspend after the refused create never ran.
    expect(calls.map(([c]) => c)).toEqual(['createMailbox']);
    const entries = journal.list({}).entries;
    expect(entries.map((e) => [e.action, e.object, e.result, e.errorCode, e.after])).toEqual([['mailboxes.create', 'fail@example.test', 'error', 'backend.conflict', null]]);
  });

  it('refuses a file without an address column', async () => {
    const { service } = setup();
    expect(await service.run({ csv: 'name\nx', dryRun: true }, 'tester')).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  });

  it('refuses in the dry run every hostile line the apply would refuse, and the apply then writes nothing for them', async () => {
    const csv = [
      'type,address,name,quota',
      'mailbox,ü@example.test,,',
      'mailbox,ana@example.test,,99999999999999999999TB',
      'mailbox,dup@example.test,,',
      'mailbox,DUP@example.test,,',
      'domain,-bad.example.com,,',
      'mailbox,"""a b""@example.test",,',
      `mailbox,big@example.test,${'n'.repeat(5 * MB)},`,
      'mailbox,ana@bücher.example.test,,',
      'mailbox,*@example.test,,',
      'domain,bad_name.example.com,,',
      'mailbox,huge@example.test,,3GiB',
    ].join('\n');
    const dry = setup();
    const preview = await dry.service.run({ csv, connectionId: 'c1', dryRun: true }, 'tester');
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.value.steps.map((s) => [s.line, s.kind])).toEqual([[2, 'error'], [3, 'error'], [4, 'create'], [5, 'error'], [6, 'error'], [7, 'error'], [8, 'error'], [9, 'error'], [10, 'error'], [11, 'error'], [12, 'error']]);
    const detail = preview.value.steps.map((s) => s.detail);
    expect(detail[0]).toMatch(/non-ASCII local parts/);
    expect(detail[1]).toMatch(/too large/);
    expect(detail[3]).toBe('Line 5 repeats dup@example.test from line 4: one line per address.');
    expect(detail[4]).toMatch(/Not a domain name/);
    expect(detail[5]).toMatch(/quoted local parts/);
    expect(detail[6]).toMatch(/displayName/);
    expect(detail[7]).toContain('use ana@xn--bcher-kva.example.test');
    expect(detail[8]).toMatch(/catch-all/);
    expect(detail[9]).toMatch(/"_"/);
    expect(detail[10]).toBe('The quota exceeds the per-mailbox maximum of example.test (2000 MB).');
    expect(JSON.stringify(preview.value).length).toBeLessThan(20_000);

    const real = setup();
    const applied = await real.service.run({ csv, connectionId: 'c1', dryRun: false }, 'tester');
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value.steps).toEqual(preview.value.steps);
    expect(applied.value.applied.map((a) => [a.line, a.ok])).toEqual([[4, true]]);
    expect(real.calls.map(([c, args]) => [c, (args[1] as { address: string }).address])).toEqual([['createMailbox', 'dup@example.test']]);
  });

  it('leaves blank cells as they are, clears with - or none, and the dry run says so', async () => {
    const { service, calls } = setup();
    const blank = await service.run({ csv: 'address,display_name,quota_mb,active,forward_to\nalice@example.test,,,,\nbob@example.test,,,,\n', dryRun: true }, 'tester');
    expect(blank.ok && blank.value.steps.map((s) => s.kind)).toEqual(['unchanged', 'unchanged']);
    const cleared = await service.run({ csv: 'address,display_name,quota_mb,forward_to\nbob@example.test,-,none,-\n', dryRun: false }, 'tester');
    if (!cleared.ok) throw new Error(cleared.error.message);
    expect(cleared.value.steps[0]).toMatchObject({ kind: 'update', detail: 'name “Bob” cleared, quota 1 GB → unlimited, forwarding off' });
    expect(calls.map(([c, args]) => [c, args.slice(2)])).toEqual([
      ['updateMailbox', [{ displayName: '', quotaBytes: null }]],
      ['setForwarding', [[], true]],
    ]);
    const quota = await service.run({ csv: 'address,quota\nalice@example.test,\nbob@example.test,none\n', dryRun: true }, 'tester');
    expect(quota.ok && quota.value.steps.map((s) => [s.kind, s.detail])).toEqual([['unchanged', ''], ['update', 'quota 1 GB → unlimited']]);
  });

  it('asks the platform about every planned quota in file order and refuses what it refuses', async () => {
    const { service, checked, calls } = setup();
    const csv = 'address,quota\nalice@example.test,3GB\nnew@example.test,1GB\n';
    const report = await service.run({ csv, dryRun: false }, 'tester');
    if (!report.ok) throw new Error(report.error.message);
    expect(checked).toEqual([[{ kind: 'mailbox.update', address: 'alice@example.test', quotaBytes: 3 * GB }, { kind: 'mailbox.create', address: 'new@example.test', quotaBytes: GB }]]);
    expect(report.value.steps.map((s) => s.kind)).toEqual(['error', 'create']);
    expect(calls.map(([c]) => c)).toEqual(['createMailbox']);
  });

  it('takes the lines of a refused domain with it', async () => {
    const { service } = setup();
    (service as unknown as { writes: ImportWrites }).writes.checkWrites = async (_id, planned) => ok(planned.map((w) => (w.kind === 'domain.create' ? appError('backend.validation', 'No more domains on this plan.') : null)));
    const report = await service.run({ csv: 'type,address\ndomain,new.test\nmailbox,ana@new.test\nmailbox,carl@example.test\n', connectionId: 'c1', dryRun: true }, 'tester');
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.steps.map((s) => [s.kind, s.detail])).toEqual([
      ['error', 'No more domains on this plan.'],
      ['error', 'The domain new.test (line 2) is refused: No more domains on this plan.'],
      ['create', 'quota default, password generated'],
    ]);
  });
});
