import { useCallback, useMemo, useState } from 'react';
import type { CachedMailbox } from '../../../shared/domain/inventory.ts';
import { Button } from '../../components/button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Combobox } from '../../components/combobox.tsx';
import { SelectField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { SkeletonRows } from '../../components/skeleton.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { connectionOptions, domainFilterOptions } from '../../lib/pick-options.ts';
import { useConnections } from '../../state/connections-store.ts';
import { provisioningConnections, useInventory } from '../../state/inventory-store.ts';
import { MailboxDetail } from './mailbox-detail.tsx';
import { useMailboxRows, type SortKey } from './mailbox-rows-store.ts';
import { MailboxTable } from './mailbox-table.tsx';

const SORTS = [
  { value: 'address/asc', label: 'Address (A–Z)' },
  { value: 'address/desc', label: 'Address (Z–A)' },
  { value: 'domain/asc', label: 'Domain' },
  { value: 'used/desc', label: 'Largest first' },
  { value: 'quota/desc', label: 'Largest quota first' },
  { value: 'usage/desc', label: 'Fullest first (usage %)' },
] as const;

/** The mailbox tab: filters, the virtualized table and the detail panel of the chosen mailbox. */
export function MailboxesPanel({ onCreate }: { readonly onCreate: () => void }) {
  const inventory = useInventory();
  const allConnections = useConnections((s) => s.items);
  // Narrow subscriptions: a chunk arriving re-renders the table, not the filters.
  const text = useMailboxRows((s) => s.text);
  const filters = useMailboxRows((s) => s.filters);
  const sort = useMailboxRows((s) => s.sort);
  const ready = useMailboxRows((s) => s.ready);
  const count = useMailboxRows((s) => s.count);
  const error = useMailboxRows((s) => s.error);
  const [openKey, setOpenKey] = useState<string | null>(null);
  const open = useMailboxRows((s) => (openKey ? findLoaded(s.chunks, openKey) : null));
  const onOpen = useCallback((m: CachedMailbox) => setOpenKey(`${m.connectionId}/${m.address}`), []);
  const setFilters = useMailboxRows.getState().setFilters;
  const connections = useMemo(() => provisioningConnections(allConnections), [allConnections]);
  const connectionChoices = useMemo(() => connectionOptions(connections, 'All connections'), [connections]);
  const domainChoices = useMemo(() => domainFilterOptions(inventory.domains.filter((d) => !filters.connectionId || d.connectionId === filters.connectionId)), [inventory.domains, filters.connectionId]);
  const filtered = text.trim() !== '' || filters.status !== 'all' || filters.nearQuota;

  if (inventory.loaded && connections.length === 0) {
    return (
      <EmptyState title="No mail platform connected" icon={<Icon name="mailboxes" size={28} />} action={<a className="btn btn--primary" href="#/connections">Go to Connections</a>}>
        <p>Connect PostfixAdmin, mailcow, Stalwart, Google Workspace or Microsoft 365, refresh it on the Domains page, and every mailbox appears here.</p>
      </EmptyState>
    );
  }
  return (
    <div className={`mailboxes ${open ? 'mailboxes--detail' : ''}`}>
      <div className="mailboxes__main">
        <div className="filters" role="group" aria-label="Filters">
          <Combobox label="Connection" value={filters.connectionId} onChange={(connectionId) => setFilters({ connectionId, domain: '' })} options={connectionChoices} />
          <Combobox label="Domain" value={filters.domain} onChange={(domain) => setFilters({ domain })} options={domainChoices} />
          <SelectField label="Status" value={filters.status} onChange={(e) => setFilters({ status: e.target.value as 'all' })} options={[{ value: 'all', label: 'Any status' }, { value: 'active', label: 'Active' }, { value: 'suspended', label: 'Suspended' }]} />
          <SelectField
            label="Sort"
            value={`${sort.key}/${sort.dir}`}
            onChange={(e) => {
              const [key, dir] = e.target.value.split('/') as [SortKey, 'asc' | 'desc'];
              useMailboxRows.getState().setSort(key, dir);
            }}
            options={SORTS.some((o) => o.value === `${sort.key}/${sort.dir}`) ? SORTS : [...SORTS, { value: `${sort.key}/${sort.dir}`, label: `${sort.key} (${sort.dir === 'asc' ? 'ascending' : 'descending'})` }]}
          />
          <label className="checkbox filters__check">
            <input type="checkbox" checked={filters.nearQuota} onChange={(e) => setFilters({ nearQuota: e.target.checked })} />
            Near quota (≥ 90 %)
          </label>
          <span className="filters__count" role="status">
            {!ready ? (
              <>
                <Spinner size="sm" /> Loading…
              </>
            ) : (
              `${count.toLocaleString()} ${count === 1 ? 'mailbox' : 'mailboxes'}`
            )}
          </span>
        </div>
        {error ? (
          <ErrorMessage error={error} title="Could not read the mailbox cache." />
        ) : !ready ? (
          <SkeletonRows label="Loading mailboxes" rows={8} />
        ) : count === 0 ? (
          <NoRows filtered={filtered || Boolean(filters.domain || filters.connectionId)} onCreate={onCreate} onClear={() => setFilters({ connectionId: '', domain: '', status: 'all', nearQuota: false })} />
        ) : (
          <MailboxTable onOpen={onOpen} selected={openKey} />
        )}
      </div>
      {open ? <MailboxDetail mailbox={open} onClose={() => setOpenKey(null)} /> : null}
    </div>
  );
}

function findLoaded(chunks: ReadonlyMap<number, readonly CachedMailbox[]>, key: string): CachedMailbox | null {
  for (const rows of chunks.values()) for (const m of rows) if (`${m.connectionId}/${m.address}` === key) return m;
  return null;
}

function NoRows({ filtered, onCreate, onClear }: { readonly filtered: boolean; readonly onCreate: () => void; readonly onClear: () => void }) {
  if (filtered) {
    return (
      <EmptyState title="No mailbox matches" icon={<Icon name="search" size={28} />} action={<Button onClick={onClear}>Clear filters</Button>}>
        <p>Nothing in the cache matches the search and filters. The cache holds what the last refresh read; refresh a connection on the Domains page if something is missing.</p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No mailboxes yet" icon={<Icon name="mailboxes" size={28} />} action={<Button variant="primary" onClick={onCreate}>New mailbox</Button>}>
      <p>Create the first mailbox, or refresh a connection on the Domains page to read the ones it already has.</p>
    </EmptyState>
  );
}
