import { useMemo, useState } from 'react';
import type { CachedMailbox } from '../../../shared/domain/inventory.ts';
import { Button } from '../../components/button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { SkeletonRows } from '../../components/skeleton.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { provisioningConnections, useInventory } from '../domains/inventory-store.ts';
import { MailboxDetail } from './mailbox-detail.tsx';
import { serverAnswers, useMailboxRows } from './mailbox-rows-store.ts';
import { MailboxTable } from './mailbox-table.tsx';

/** The mailbox tab: filters, the virtualized table and the detail panel of the chosen mailbox. */
export function MailboxesPanel({ onCreate }: { readonly onCreate: () => void }) {
  const inventory = useInventory();
  const rows = useMailboxRows();
  const [openKey, setOpenKey] = useState<string | null>(null);
  const open = useMemo(() => rows.rows.find((m) => `${m.connectionId}/${m.address}` === openKey) ?? null, [rows.rows, openKey]);
  const connections = provisioningConnections(inventory.connections);
  const domains = inventory.domains.filter((d) => !rows.filters.connectionId || d.connectionId === rows.filters.connectionId);
  const filtered = rows.text.trim() !== '' || rows.filters.status !== 'all' || rows.filters.nearQuota;
  // Without text or status filters the domain counts give the full size, so the scrollbar is right before every page arrives.
  const knownTotal = filtered ? null : domains.filter((d) => !rows.filters.domain || d.name === rows.filters.domain).reduce((n, d) => n + (d.mailboxCount ?? 0), 0);
  const shown = rows.local || rows.nextKey === null ? rows.rows.length : (knownTotal ?? null);

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
          <SelectField label="Connection" value={rows.filters.connectionId} onChange={(e) => rows.setFilters({ connectionId: e.target.value, domain: '' })} options={[{ value: '', label: 'All connections' }, ...connections.map((c) => ({ value: c.id, label: c.name }))]} />
          <SelectField label="Domain" value={rows.filters.domain} onChange={(e) => rows.setFilters({ domain: e.target.value })} options={[{ value: '', label: 'All domains' }, ...domains.map((d) => ({ value: d.name, label: d.name }))]} />
          <SelectField label="Status" value={rows.filters.status} onChange={(e) => rows.setFilters({ status: e.target.value as 'all' })} options={[{ value: 'all', label: 'Any status' }, { value: 'active', label: 'Active' }, { value: 'suspended', label: 'Suspended' }]} />
          <label className="checkbox filters__check">
            <input type="checkbox" checked={rows.filters.nearQuota} onChange={(e) => rows.setFilters({ nearQuota: e.target.checked })} />
            Near quota (≥ 90 %)
          </label>
          <span className="filters__count" role="status">
            {!rows.ready || (!serverAnswers(rows) && !rows.local) ? (
              <>
                <Spinner size="sm" /> {rows.local ? '' : `Loading ${rows.rows.length ? rows.rows.length.toLocaleString() : ''}…`}
              </>
            ) : (
              `${(shown ?? rows.rows.length).toLocaleString()}${shown === null || (rows.matched?.capped && !rows.local && rows.nextKey !== null && knownTotal === null) ? '+' : ''} mailboxes`
            )}
          </span>
        </div>
        {rows.error ? (
          <ErrorMessage error={rows.error} title="Could not read the mailbox cache." />
        ) : !rows.ready ? (
          <SkeletonRows label="Loading mailboxes" rows={8} />
        ) : rows.rows.length === 0 && (rows.local || rows.nextKey === null) ? (
          <NoRows filtered={filtered || Boolean(rows.filters.domain || rows.filters.connectionId)} onCreate={onCreate} onClear={() => rows.setFilters({ connectionId: '', domain: '', status: 'all', nearQuota: false })} />
        ) : (
          <MailboxTable onOpen={(m: CachedMailbox) => setOpenKey(`${m.connectionId}/${m.address}`)} selected={openKey} knownTotal={knownTotal} />
        )}
      </div>
      {open ? <MailboxDetail mailbox={open} connection={inventory.connections.find((c) => c.id === open.connectionId)} onClose={() => setOpenKey(null)} /> : null}
    </div>
  );
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
