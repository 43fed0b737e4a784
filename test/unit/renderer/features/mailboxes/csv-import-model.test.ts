import { describe, expect, it } from 'vitest';
import type { CachedMailbox } from '../../../../../shared/domain/inventory.ts';
import { mailboxesToCsv } from '../../../../../renderer/features/mailboxes/csv-import-model.ts';

const origin = { connectionId: 'c1', connectionName: 'Main', connectionKind: 'postfixadmin' as const, refreshedAt: null, stale: false };
const alice: CachedMailbox = { ...origin, address: 'alice@example.test', domain: 'example.test', displayName: 'Alice', active: true, quotaBytes: 100_000_000, usedBytes: 5, messageCount: 1, forwardTargets: [], keepCopy: false };

describe('CSV export', () => {
  it('exports rows without any password column', () => {
    const csv = mailboxesToCsv([alice]);
    expect(csv.split('\r\n')[0]).toBe('address,display_name,quota_mb,active,used_bytes,forward_to,connection,platform');
    expect(csv).toContain('alice@example.test,Alice,100,yes,5,,Main,postfixadmin');
  });
});
