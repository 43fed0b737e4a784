import { createContext, useContext, useMemo } from 'react';
import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import type { Capabilities } from '../../../shared/domain/provisioning.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { UsageBar } from '../../components/usage-bar.tsx';
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table.tsx';
import { canDo, whyNot } from '../../lib/capability-support.ts';
import { useCapabilities } from '../../state/capabilities-store.ts';
import { platformName } from '../../lib/platform-name.ts';

function healthTone(score: number): 'success' | 'warning' | 'danger' {
  return score >= 80 ? 'success' : score >= 50 ? 'warning' : 'danger';
}

// The data that arrives after the rows (health scores, capabilities) or changes on its own (customers) reaches the cells
// that show it through a context, not through the columns: the columns stay the same, so the rows drawn do not
// all render again when it comes (bench/cache/README.md).
const HealthScores = createContext<ReadonlyMap<string, number> | null>(null);
const Customers = createContext<ReadonlyMap<string, string>>(new Map());
const CapabilitiesByConnection = createContext<Readonly<Record<string, Capabilities>>>({});

function HealthCell({ name }: { readonly name: string }) {
  const health = useContext(HealthScores);
  const score = health?.get(name);
  return health === null ? <span className="muted">…</span> : score === undefined ? <a href="#/deliverability" className="muted">Not checked</a> : <Badge tone={healthTone(score)}>{score} / 100</Badge>;
}

function CustomerCell({ connectionId }: { readonly connectionId: string }) {
  return useContext(Customers).get(connectionId) ?? <span className="muted">None</span>;
}

function DomainActions({ domain: d, onDelete, onDkim }: { readonly domain: CachedDomain; readonly onDelete: (d: CachedDomain) => void; readonly onDkim: (d: CachedDomain) => void }) {
  // From the table's one store subscription: a subscription per row cost every row mounted while scrolling.
  const caps = useContext(CapabilitiesByConnection)[d.connectionId];
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => onDkim(d)} aria-label={`DKIM of ${d.name}`}>
        DKIM
      </Button>
      <Button size="sm" variant="ghost" className="btn--danger-text" disabled={!canDo(caps?.domain.remove)} title={whyNot(caps?.domain.remove, 'Delete domains')} onClick={() => onDelete(d)} aria-label={`Delete ${d.name}`}>
        Delete
      </Button>
    </>
  );
}

/** Every cached domain, virtualized (1,000 domains draw the ~20 rows on screen): platform, customer, mailbox count, storage bar, health score, staleness. */
export function DomainsTable({ domains, customers, health, onDelete, onDkim }: {
  readonly domains: readonly CachedDomain[];
  /** Connection id → its MSP customer; a connection without one is absent. */
  readonly customers: ReadonlyMap<string, string>;
  /** The last deliverability score per domain name; null once loaded for a domain never checked, absent while loading. */
  readonly health: ReadonlyMap<string, number> | null;
  readonly onDelete: (d: CachedDomain) => void;
  readonly onDkim: (d: CachedDomain) => void;
}) {
  const byConnection = useCapabilities((s) => s.byConnection);
  const columns = useMemo((): readonly VirtualColumn<CachedDomain>[] => [
    {
      key: 'name',
      label: 'Domain',
      width: 'minmax(220px, 2.4fr)',
      rowHeader: true,
      cell: (d) => (
        <>
          <span className="vtable__line">
            <a href="#/mailboxes" className="table__link vtable__primary" onClick={() => sessionStorage.setItem('mailroom.domain-filter', `${d.connectionId}/${d.name}`)}>
              {d.name}
            </a>
            {!d.active ? <Badge tone="warning">Inactive</Badge> : null}
            {d.stale ? <Badge tone="warning">Stale</Badge> : null}
          </span>
          {d.aliasDomains?.length || d.description ? <span className="vtable__sub">{d.aliasDomains?.length ? `Aliases: ${d.aliasDomains.join(', ')}` : d.description}</span> : null}
        </>
      ),
    },
    {
      key: 'platform',
      label: 'Platform',
      width: 'minmax(130px, 1.2fr)',
      cell: (d) => (
        <>
          <span className="vtable__primary-sm">{d.connectionName}</span>
          <span className="vtable__sub">{platformName(d.connectionKind)}</span>
        </>
      ),
    },
    { key: 'customer', label: 'Customer', width: 'minmax(110px, 1fr)', cell: (d) => <CustomerCell connectionId={d.connectionId} /> },
    { key: 'mailboxes', label: 'Mailboxes', width: '110px', numeric: true, cell: (d) => d.mailboxCount?.toLocaleString() ?? '—' },
    { key: 'storage', label: 'Storage', width: '170px', cell: (d) => <UsageBar used={d.usedBytes} quota={d.quotaBytes} /> },
    { key: 'health', label: 'Health', width: '120px', cell: (d) => <HealthCell name={d.name} /> },
    { key: 'actions', label: <span className="visually-hidden">Actions</span>, width: '160px', cell: (d) => <DomainActions domain={d} onDelete={onDelete} onDkim={onDkim} /> },
  ], [onDelete, onDkim]);
  return (
    <Customers.Provider value={customers}>
      <HealthScores.Provider value={health}>
        <CapabilitiesByConnection.Provider value={byConnection}>
          <VirtualTable label="Domains" columns={columns} rows={domains} rowKey={rowKey} testId="domains-scroll" />
        </CapabilitiesByConnection.Provider>
      </HealthScores.Provider>
    </Customers.Provider>
  );
}

const rowKey = (d: CachedDomain): string => `${d.connectionId}/${d.name}`;
