import { describe, expect, it } from 'vitest';
import type { CachedDomain, CachedMailbox } from '../../../../../shared/domain/inventory.ts';
import { mailboxesToCsv, planImport, summarise } from '../../../../../renderer/features/mailboxes/csv-import-model.ts';

const origin = { connectionId: 'c1', connectionName: 'Main', connectionKind: 'postfixadmin' as const, refreshedAt: null, stale: false };
const domain: CachedDomain = { ...origin, name: 'example.test', description: null, active: true, mailboxCount: 1, quotaBytes: null, usedBytes: null };
const alice: CachedMailbox = { ...origin, address: 'alice@example.test', domain: 'example.test', displayName: 'Alice', active: true, quotaBytes: 1048576 * 100, usedBytes: 5, messageCount: 1, forwardTargets: [], keepCopy: false };

describe('CSV import dry run', () => {
  it('plans creates, updates, unchanged rows and errors without writing', () => {
    const csv = [
      'address,display_name,quota_mb,active,password',
      'alice@example.test,Alice,100,yes,',
      'ALICE@example.test,Alice B,200,no,',
      'new@example.test,New,,yes,Long-enough-1',
      'short@example.test,,,,abc',
      'x@unknown.test,,,,Long-enough-1',
      'not-an-address,,,,',
      'alice@example.test,,lots,,',
    ].join('\n');
    const plan = planImport(csv, [domain], new Map([[alice.address, alice]]));
    expect(plan.map((a) => a.kind)).toEqual(['unchanged', 'update', 'create', 'error', 'error', 'error', 'error']);
    const update = plan[1]!;
    expect(update.kind === 'update' && update.patch).toEqual({ displayName: 'Alice B', quotaBytes: 200 * 1048576, active: false });
    expect(plan[2]).toMatchObject({ kind: 'create', connectionId: 'c1', address: 'new@example.test', quotaBytes: null });
    expect(summarise(plan)).toEqual({ create: 1, update: 1, unchanged: 1, error: 4 });
  });

  it('refuses a file without an address column', () => {
    expect(planImport('name\nx', [domain], new Map())[0]).toMatchObject({ kind: 'error', line: 1 });
  });

  it('exports rows without any password column', () => {
    const csv = mailboxesToCsv([alice]);
    expect(csv.split('\r\n')[0]).toBe('address,display_name,quota_mb,active,used_bytes,forward_to,connection,platform');
    expect(csv).toContain('alice@example.test,Alice,100,yes,5,,Main,postfixadmin');
  });
});
