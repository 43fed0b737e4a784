import { describe, expect, it } from 'vitest';
import type { CachedDomain } from '../../../../shared/domain/inventory.ts';
import { naturalCompare, sortNatural } from '../../../../renderer/lib/natural-sort.ts';
import { connectionOptions, domainFilterOptions, domainPickOptions } from '../../../../renderer/lib/pick-options.ts';

const domain = (name: string, connectionId: string, connectionName: string): CachedDomain => ({
  name, connectionId, connectionName, connectionKind: 'postfixadmin', refreshedAt: null, stale: false, description: null, active: true, mailboxCount: 0, quotaBytes: null, usedBytes: null,
});

describe('natural order', () => {
  it('counts like people do, ignoring case', () => {
    expect(['client10', 'client2', 'Client1', 'client0', 'client100'].sort(naturalCompare)).toEqual(['client0', 'Client1', 'client2', 'client10', 'client100']);
    expect(sortNatural([{ n: 'b10' }, { n: 'b9' }], (x) => x.n).map((x) => x.n)).toEqual(['b9', 'b10']);
  });

  it('builds the pickers: every domain once for filters, each domain on its connection for new objects, connections in order', () => {
    const domains = [domain('client10.example', 'a', 'Head office'), domain('client2.example', 'a', 'Head office'), domain('client2.example', 'b', 'Branch')];
    expect(domainFilterOptions(domains)).toEqual([
      { value: '', label: 'All domains' },
      { value: 'client2.example', label: 'client2.example', hint: 'Head office, Branch' },
      { value: 'client10.example', label: 'client10.example', hint: 'Head office' },
    ]);
    expect(domainPickOptions(domains).map((o) => [o.value, o.label, o.hint])).toEqual([
      ['b/client2.example', '@client2.example', 'Branch'],
      ['a/client2.example', '@client2.example', 'Head office'],
      ['a/client10.example', '@client10.example', 'Head office'],
    ]);
    const connections = [{ id: '1', name: 'Box 10', kind: 'postfixadmin' }, { id: '2', name: 'Box 2', kind: 'mailcow' }] as never[];
    expect(connectionOptions(connections, 'All connections').map((o) => o.label)).toEqual(['All connections', 'Box 2', 'Box 10']);
  });
});
