import { describe, expect, it } from 'vitest';
import type { ConnectionSummary } from '../../../../../shared/domain/connection.ts';
import type { CachedDomain } from '../../../../../shared/domain/inventory.ts';
import type { StandardEvaluation } from '../../../../../shared/domain/standards.ts';
import type { StorageSummary } from '../../../../../shared/domain/storage.ts';
import { batchCustomers, customerFigures, driftRows } from '../../../../../renderer/features/overview/customer-overview.ts';

const conn = (id: string, kind: ConnectionSummary['kind'], customer?: string, ok?: boolean): ConnectionSummary => ({
  id,
  name: id,
  kind,
  settings: {},
  hasSecret: true,
  createdAt: '',
  lastTest: ok === undefined ? null : { at: '2026-12-01T00:00:00Z', ok, message: '' },
  ...(customer ? { customer } : {}),
});
const dom = (name: string, connectionId: string, mailboxCount: number) => ({ name, connectionId, mailboxCount }) as CachedDomain;
const storage = (used: Record<string, number>) => ({ platforms: Object.entries(used).map(([connectionId, usedBytes]) => ({ connectionId, usedBytes })) }) as unknown as StorageSummary;
const deviation = (customer: string) => ({ rule: 'r', target: 't', customer, expected: 'e', current: 'c', mode: 'report' as const, since: '2026-12-01T00:00:00Z', supported: true });
const evaluation = (score: Record<string, number>, customers: readonly string[], standard = 'email baseline') =>
  ({ standard, version: 1, at: '2026-12-01T00:00:00Z', evaluated: 1, score, supportedScore: score, domains: {}, deviations: customers.map(deviation), accepted: [], alerts: [] }) as StandardEvaluation;

describe('customerFigures', () => {
  const connections = [conn('a1', 'postfixadmin', 'Client10', true), conn('a2', 'google', 'Client10', false), conn('b', 'mailcow', 'Client9', true), conn('c', 'imap')];
  const domains = [dom('one.test', 'a1', 3), dom('two.test', 'a1', 2), dom('g.test', 'a2', 10), dom('b.test', 'b', 1), dom('Stray.test', 'gone', 4)];

  it('sums domains, mailboxes and storage per customer and per platform inside it, "unassigned" last', () => {
    const rows = customerFigures({ connections, domains, storage: storage({ a1: 100, a2: 50, b: 7 }), evaluations: [], checks: [], migrations: [] });
    expect(rows.map((r) => r.name)).toEqual(['Client9', 'Client10', 'unassigned']);
    const ten = rows[1]!;
    expect([ten.domains, ten.mailboxes, ten.usedBytes, ten.connections]).toEqual([3, 15, 150, 2]);
    expect(ten.platforms.map((p) => [p.kind, p.domains, p.mailboxes, p.usedBytes])).toEqual([
      ['google', 1, 10, 50],
      ['postfixadmin', 2, 5, 100],
    ]);
    expect([ten.tested, ten.failing]).toEqual([2, 1]);
    expect(rows[2]!.domains).toBe(0);
  });

  it('counts each customer’s deviations over every standard, takes the lowest alignment, and averages its checked domains', () => {
    const evaluations = [evaluation({ Client10: 80, unassigned: 50 }, ['Client10', 'client10', 'unassigned']), evaluation({ Client10: 60 }, ['Client10'], 'strict')];
    const checks = [
      { id: 1, domain: 'ONE.test', at: '', profile: 'hosted', score: 70, counts: {} },
      { id: 2, domain: 'g.test', at: '', profile: 'hosted', score: 91, counts: {} },
      { id: 3, domain: 'b.test', at: '', profile: 'hosted', score: 40, counts: {} },
    ] as never;
    const rows = customerFigures({ connections, domains, storage: null, evaluations, checks, migrations: null });
    const ten = rows.find((r) => r.name === 'Client10')!;
    expect([ten.deviations, ten.alignment, ten.deliverability, ten.usedBytes, ten.migrations]).toEqual([3, 60, { checked: 2, average: 81 }, null, null]);
    expect(rows.find((r) => r.name === 'Client9')!.alignment).toBeNull();
    expect(rows.find((r) => r.name === 'unassigned')!.deviations).toBe(1);
  });

  it('counts a running batch under every customer its plan’s connections belong to, and "unassigned" when none has one', () => {
    const batch = {} as never;
    expect(batchCustomers(['a1', null, 'b', 'a2'], connections).sort()).toEqual(['Client10', 'Client9']);
    expect(batchCustomers([null, 'c', 'gone'], connections)).toEqual(['unassigned']);
    const rows = customerFigures({ connections, domains, storage: null, evaluations: null, checks: null, migrations: [{ batch, customers: ['Client10', 'Client9'] }, { batch, customers: ['Client10'] }] });
    expect(rows.map((r) => [r.name, r.migrations, r.deviations])).toEqual([
      ['Client9', 1, null],
      ['Client10', 2, null],
      ['unassigned', 0, null],
    ]);
  });

  it('lists every deviation for the drift CSV with its standard and customer', () => {
    expect(driftRows([evaluation({}, ['A']), evaluation({}, ['B'], 'strict')])).toEqual([
      ['email baseline', 'A', 'r', 't', 'e', 'c', 'report', '2026-12-01T00:00:00Z'],
      ['strict', 'B', 'r', 't', 'e', 'c', 'report', '2026-12-01T00:00:00Z'],
    ]);
  });
});
