import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../shared/domain/audit.ts';
import { connectionNames, describeAudit } from '../../../../renderer/lib/audit-text.ts';

let seq = 0;
const entry = (action: string, object: string | null, before: unknown, after: unknown, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  seq: ++seq, at: '2026-01-01T00:00:00Z', operator: 'ops', action, connectionId: 'c-1', object, before, after, result: 'ok', errorCode: null, hash: 'h', ...extra,
});
const box = (active: boolean, quotaBytes: number | null = 1024) => ({ address: 'ana@example.com', domain: 'example.com', displayName: 'Ana', active, quotaBytes, usedBytes: 0, messageCount: 0 });
const names = new Map([['c-1', 'Head office']]);
const words = (e: AuditEntry) => describeAudit(e, names);

describe('the journal in words', () => {
  it('calls a suspension by its name, so "suspend" finds it, and names the connection', () => {
    const suspended = words(entry('mailboxes.update', 'ana@example.com', box(true), box(false)));
    expect(suspended.summary).toBe('Suspended ana@example.com');
    expect(suspended.connection).toBe('Head office');
    expect(suspended.searchText.toLowerCase()).toContain('suspend');
    expect(suspended.searchText).toContain('mailboxes.update');
    expect(words(entry('mailboxes.update', 'ana@example.com', box(false), box(true))).summary).toBe('Unsuspended ana@example.com');
    expect(words(entry('mailboxes.update', 'ana@example.com', box(true, 1024), box(true, 2048))).summary).toBe('Changed the quota of ana@example.com');
  });

  it('says what was tried when it failed', () => {
    const failed = words(entry('mailboxes.remove', 'ana@example.com', null, null, { result: 'error', errorCode: 'backend.forbidden' }));
    expect(failed.summary).toBe('Could not delete the mailbox ana@example.com');
    expect(failed.searchText).toContain('backend.forbidden');
  });

  it('words every kind of change a person makes', () => {
    expect(words(entry('mailboxes.setForwarding', 'ana@example.com', null, { address: 'ana@example.com', targets: ['bo@x.test'], keepCopy: true })).summary).toBe('Forwarded ana@example.com to bo@x.test');
    expect(words(entry('mailboxes.setForwarding', 'ana@example.com', null, { targets: [] })).summary).toBe('Stopped forwarding ana@example.com');
    expect(words(entry('aliases.upsert', '@example.com', null, {})).summary).toBe('Created the catch-all @example.com');
    expect(words(entry('aliases.upsert', 'sales@example.com', { targets: ['a@x.test'] }, {})).summary).toBe('Changed the alias sales@example.com');
    expect(words(entry('domains.create', 'example.com', null, {})).summary).toBe('Created the domain example.com');
    expect(words(entry('dns.monitor', 'example.com', null, {}, { connectionId: null })).summary).toBe('Started monitoring example.com');
    expect(words(entry('storage.setPrices', 'storage.prices', {}, {}, { connectionId: null })).summary).toBe('Changed the storage price table');
    expect(words(entry('something.brandNew', 'x', null, null)).summary).toBe('Something brand new x');
  });

  it('words alerts and their destinations, naming the rule and the target', () => {
    const alert = { source: 'dns:stored-domains', rule: 'dmarc.missing', target: 'example.com', deliveries: [] };
    expect(words(entry('alerts.raised', 'dmarc.missing example.com', null, alert, { connectionId: null })).summary).toBe('Alert raised: dmarc.missing on example.com');
    expect(words(entry('alerts.resolved', 'dmarc.missing example.com', null, alert, { connectionId: null })).summary).toBe('Alert resolved: dmarc.missing on example.com');
    expect(words(entry('alerts.addDestination', 'alerts.destination:Ops', null, {}, { connectionId: null })).summary).toBe('Added the alert destination “Ops”');
    expect(words(entry('alerts.snooze', 'alerts.destination:Ops', {}, { snoozedUntil: '2026-01-02T00:00:00Z' }, { connectionId: null })).summary).toBe('Snoozed the alert destination “Ops”');
    expect(words(entry('alerts.snooze', 'alerts.destination:Ops', {}, { snoozedUntil: null }, { connectionId: null })).summary).toBe('Woke the alert destination “Ops”');
    expect(words(entry('alerts.test', 'alerts.destination:Ops', null, null, { result: 'error', errorCode: 'notFound', connectionId: null })).summary).toBe('Could not send a test alert to “Ops”');
  });

  it('names plans and connections instead of their ids, also after a connection was removed', () => {
    const added = entry('connections.addMailcow', 'Cloud', null, { name: 'Cloud', kind: 'mailcow', settings: {} }, { connectionId: 'c-9' });
    const removed = entry('connections.remove', 'Cloud', { name: 'Cloud', kind: 'mailcow', settings: {} }, null, { connectionId: 'c-9' });
    const known = connectionNames([added, removed], [{ id: 'c-1', name: 'Head office' }]);
    expect(known.get('c-9')).toBe('Cloud');
    expect(describeAudit(added, known)).toMatchObject({ summary: 'Added the mailcow connection Cloud', connection: 'Cloud' });
    expect(describeAudit(removed, known).summary).toBe('Removed the connection Cloud');
    const plan = entry('migration.createPlanFromCsv', 'migration.plan:5f0c1d2e-aaaa-bbbb', null, { name: 'Spring move', mailboxes: 12 }, { connectionId: null });
    expect(describeAudit(plan, known).summary).toBe('Created the migration plan “Spring move”');
    const batch = entry('migration.pauseBatch', 'migration.batch:77aa0000-1111', null, { status: 'paused', plan: 'Spring move' }, { connectionId: null });
    expect(describeAudit(batch, known).summary).toBe('Paused a migration batch of “Spring move”');
  });
});
