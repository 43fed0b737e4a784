import { MemoryVault } from '../../../fakes/memory-vault.ts';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { InventoryRepo } from '../../../../electron/db/inventory-repo.ts';
import { AuditJournal } from '../../../../electron/audit/audit-journal.ts';
import { AuditRecorder } from '../../../../electron/audit/audit-recorder.ts';
import { ImportService, type ImportWrites } from '../../../../electron/provisioning/import-service.ts';
import { EventBus } from '../../../../electron/platform/event-bus.ts';
import { createMemoryLogger } from '../../../../electron/platform/logger.ts';
import { err, ok } from '../../../../shared/errors/result.ts';

const MB = 1024 * 1024;

function setup() {
  const db = openDatabase(':memory:');
  db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES ('c1', 'Main', 'postfixadmin', '{}', 'now')").run();
  const inventory = new InventoryRepo(db);
  inventory.replace('c1', {
    domains: [{ name: 'example.test', description: null, active: true, mailboxCount: 1, quotaBytes: null, usedBytes: null }],
    mailboxes: [{ address: 'alice@example.test', domain: 'example.test', displayName: 'Alice', active: true, quotaBytes: 100 * MB, usedBytes: 5, messageCount: 1 }],
    aliases: [{ address: 'sales@example.test', domain: 'example.test', targets: ['alice@example.test'], active: true }],
    groups: [],
    forwarding: [],
  }, 't');
  const calls: [string, unknown[]][] = [];
  // Records each write; a mailbox named fail@ is refused as a platform would.
  const write = (method: string) => async (...args: unknown[]) => {
    calls.push([method, args]);
    return JSON.stringify(args).includes('fail@') ? err('backend.conflict', 'refused') : ok({ value: {}, before: { was: method }, after: { now: method } });
  };
  const writes = Object.fromEntries(['createDomain', 'createMailbox', 'updateMailbox', 'setForwarding', 'upsertAlias', 'upsertGroup'].map((m) => [m, write(m)])) as unknown as ImportWrites;
  const journal = new AuditJournal(db, { vault: new MemoryVault(), journalId: 'import-unit', now: () => new Date(), operator: 'mailroom-test' });
  const service = new ImportService({ inventory, writes, recorder: new AuditRecorder({ journal, events: new EventBus(), logger: createMemoryLogger() }) });
  return { service, calls, journal };
}

describe('CSV import service', () => {
  it('plans creates, updates, unchanged rows and errors without writing on a dry run', async () => {
    const { service, calls } = setup();
    const csv = [
      'address,display_name,quota_mb,active,password',
      'alice@example.test,Alice,100,yes,',
      'ALICE@example.test,Alice B,200,no,',
      'new@example.test,New,,yes,Long-enough-1',
      'gen@example.test,,,,',
      'short@example.test,,,,abc',
      'x@unknown.test,,,,Long-enough-1',
      'not-an-address,,,,',
      'alice@example.test,,lots,,',
    ].join('\n');
    const report = await service.run({ csv, dryRun: true }, 'tester');
    expect(report.ok && report.value.steps.map((s) => s.kind)).toEqual(['unchanged', 'update', 'create', 'create', 'error', 'error', 'error', 'error']);
    if (!report.ok) return;
    expect(report.value.steps[1]).toMatchObject({ line: 3, connectionId: 'c1', detail: 'name “Alice” → “Alice B”, quota 100 MiB → 200 MiB, suspend' });
    expect(report.value.steps[3]!.detail).toContain('password generated');
    expect(report.value.steps[5]!.detail).toBe('No connection holds the domain unknown.test.');
    expect(report.value.counts).toEqual({ create: 2, update: 1, unchanged: 1, error: 4 });
    expect(calls).toEqual([]);
    expect(JSON.stringify(report.value)).not.toContain('Long-enough-1');
  });

  it('applies through the provisioning service: one write per change, each journaled, generated passwords reported once', async () => {
    const { service, calls, journal } = setup();
    const csv = 'type,address,name,quota,targets\nmailbox,carol@example.test,Carol,100MB,\nmailbox,alice@example.test,Alice Smith,,\nalias,sales@example.test,,,alice@example.test;carol@example.test\ndomain,example.test,,,\nforward,alice@example.test,keep,,out@remote.test\n';
    const report = await service.run({ csv, connectionId: 'c1', dryRun: false }, 'tester');
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.value.steps.map((s) => `${s.kind} ${s.type}`)).toEqual(['create mailbox', 'update mailbox', 'update alias', 'unchanged domain', 'update forward']);
    expect(calls.map(([c]) => c)).toEqual(['createMailbox', 'updateMailbox', 'upsertAlias', 'setForwarding']);
    expect(calls[0]![1]).toEqual(['c1', { address: 'carol@example.test', password: report.value.applied[0]!.generatedPassword, displayName: 'Carol', quotaBytes: 100_000_000 }]);
    expect(calls[3]![1]).toEqual(['c1', 'alice@example.test', ['out@remote.test'], true]);
    expect(report.value.applied.filter((a) => a.generatedPassword)).toHaveLength(1);
    const entries = journal.list({}).entries.slice().reverse();
    expect(entries.map((e) => [e.operator, e.action, e.connectionId, e.object, e.result])).toEqual([
      ['tester', 'mailboxes.create', 'c1', 'carol@example.test', 'ok'],
      ['tester', 'mailboxes.update', 'c1', 'alice@example.test', 'ok'],
      ['tester', 'aliases.upsert', 'c1', 'sales@example.test', 'ok'],
      ['tester', 'mailboxes.setForwarding', 'c1', 'alice@example.test', 'ok'],
    ]);
    expect(entries[1]).toMatchObject({ before: { was: 'updateMailbox' }, after: { now: 'updateMailbox' } });
    expect(JSON.stringify(entries)).not.toContain(report.value.applied[0]!.generatedPassword);
  });

  it('journals a refused write as an error and stops that line; input the console refuses is neither written nor journaled', async () => {
    const { service, calls, journal } = setup();
    const csv = `address,name,active\nfail@example.test,Fail,no\nlong@example.test,${'x'.repeat(300)},\n`;
    const report = await service.run({ csv, connectionId: 'c1', dryRun: false }, 'tester');
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.applied.map((a) => [a.address, a.ok, a.error?.code])).toEqual([
      ['fail@example.test', false, 'backend.conflict'],
      ['long@example.test', false, 'input.invalid'],
    ]);
    // The suspend after the refused create never ran.
    expect(calls.map(([c]) => c)).toEqual(['createMailbox']);
    const entries = journal.list({}).entries;
    expect(entries.map((e) => [e.action, e.object, e.result, e.errorCode, e.after])).toEqual([['mailboxes.create', 'fail@example.test', 'error', 'backend.conflict', null]]);
  });

  it('refuses a file without an address column', async () => {
    const { service } = setup();
    expect(await service.run({ csv: 'name\nx', dryRun: true }, 'tester')).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  });
});
