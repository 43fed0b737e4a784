import { useEffect, useMemo, useState } from 'react';
import type { StorageSummary } from '../../../shared/domain/storage.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { BarChart, type BarSeries } from '../../components/bar-chart.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { SkeletonRows } from '../../components/skeleton.tsx';
import { VirtualList } from '../../components/virtual-list.tsx';
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table.tsx';
import { UsageBar } from '../../components/usage-bar.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { useInventory } from '../../state/inventory-store.ts';
import { CostTable } from './cost-table.tsx';

const ALLOCATION_TEXT = { pooled: 'Pooled (domain quota)', split: 'Split (per-mailbox quotas)', both: 'Both: split inside a pool', unlimited: 'Unlimited' } as const;

const ALLOCATION_COLUMNS: readonly VirtualColumn<StorageSummary['domains'][number]>[] = [
  { key: 'domain', label: 'Domain', width: 'minmax(140px, 1.2fr)', rowHeader: true, cell: (d) => <span className="vtable__primary">{d.domain}</span> },
  { key: 'allocation', label: 'Allocation', width: 'minmax(130px, 1fr)', cell: (d) => ALLOCATION_TEXT[d.allocation] },
  {
    key: 'headroom',
    label: 'Headroom',
    width: 'minmax(110px, 0.8fr)',
    numeric: true,
    cell: (d) => (d.headroomBytes === null ? '—' : d.headroomBytes < 0 ? <Badge tone="danger">over-committed {formatBytes(-d.headroomBytes)}</Badge> : formatBytes(d.headroomBytes)),
  },
];

/** Storage: usage per platform and domain (uPlot), pooled versus split allocation, who is near quota, and cost. */
export function StoragePanel() {
  const revision = useInventory((s) => s.revision);
  const [summary, setSummary] = useState<StorageSummary | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    void api.storage.summary().then((r) => (r.ok ? (setSummary(r.value), setError(null)) : setError(r.error)));
  }, [revision]);
  const charts = useMemo(() => {
    if (!summary) return null;
    const top = [...summary.domains].sort((a, b) => b.usedBytes - a.usedBytes).slice(0, 20);
    const domainSeries: BarSeries[] = [
      { label: 'Used', values: top.map((d) => d.usedBytes), color: 'var(--accent)' },
      { label: 'Free in quota', values: top.map((d) => Math.max((d.domainQuotaBytes ?? d.mailboxQuotaBytes ?? d.usedBytes) - d.usedBytes, 0)), color: 'var(--accent-soft)' },
    ];
    return {
      platformLabels: summary.platforms.map((p) => p.connectionName),
      platformSeries: [{ label: 'Used', values: summary.platforms.map((p) => p.usedBytes), color: 'var(--accent)' }] as BarSeries[],
      domainLabels: top.map((d) => d.domain),
      domainSeries,
      largestLabels: summary.largest.slice(0, 20).map((m) => m.address),
      largestSeries: [{ label: 'Used', values: summary.largest.slice(0, 20).map((m) => m.usedBytes), color: 'var(--info)' }] as BarSeries[],
    };
  }, [summary]);
  if (error) return <ErrorMessage error={error} title="Could not summarise storage." />;
  if (!summary || !charts) return <SkeletonRows label="Summarising storage" />;
  if (summary.totals.mailboxes === 0) {
    return (
      <EmptyState title="No storage figures yet" icon={<Icon name="domains" size={28} />}>
        <p>Refresh a connection to read its mailboxes and their usage.</p>
      </EmptyState>
    );
  }
  return (
    <div className="panel-stack">
      <div className="stats">
        <div className="card stat">
          <span className="stat__value">{formatBytes(summary.totals.usedBytes)}</span>
          <span className="stat__label">used by {summary.totals.mailboxes.toLocaleString()} {summary.totals.mailboxes === 1 ? 'mailbox' : 'mailboxes'}</span>
        </div>
        <div className={`card stat ${summary.overQuota.length ? 'stat--danger' : ''}`}>
          <span className="stat__value">{summary.nearQuota.length + summary.overQuota.length}</span>
          <span className="stat__label">near or over quota ({summary.overQuota.length} over)</span>
        </div>
        <div className="card stat">
          <span className="stat__value">{summary.totals.monthlyCost.toLocaleString(undefined, { style: 'currency', currency: summary.currency })}</span>
          <span className="stat__label">per month under the assigned plans</span>
        </div>
      </div>
      <div className="grid-2">
        <section className="card" aria-label="Usage per platform">
          <h2 className="card__title">Usage per platform</h2>
          <BarChart label="Used storage per platform" labels={charts.platformLabels} series={charts.platformSeries} />
        </section>
        <section className="card" aria-label="Usage per domain">
          <h2 className="card__title">Top domains: used and free quota</h2>
          <BarChart label="Used and free storage of the 20 largest domains" labels={charts.domainLabels} series={charts.domainSeries} stacked />
        </section>
      </div>
      <section className="card" aria-label="Largest mailboxes">
        <h2 className="card__title">Largest mailboxes</h2>
        <BarChart label="The 20 largest mailboxes" labels={charts.largestLabels} series={charts.largestSeries} height={220} />
      </section>
      <div className="grid-2">
        <section className="card" aria-label="Near quota">
          <h2 className="card__title">Near or over quota</h2>
          {summary.nearQuota.length + summary.overQuota.length === 0 ? (
            <p className="muted">No mailbox uses 90 % of its quota.</p>
          ) : (
            <VirtualList
              label="Mailboxes near or over quota"
              items={[...summary.overQuota, ...summary.nearQuota]}
              itemKey={(m) => `${m.connectionId}/${m.address}`}
              estimate={44}
              maxHeight={420}
              render={(m) => (
                <div className="list__row">
                  <span className="list__main">
                    <code>{m.address}</code>
                  </span>
                  <UsageBar used={m.usedBytes} quota={m.quotaBytes} />
                </div>
              )}
            />
          )}
        </section>
        <section className="card" aria-label="Allocation per domain">
          <h2 className="card__title">Allocation: pooled or split</h2>
          <VirtualTable label="Allocation per domain" columns={ALLOCATION_COLUMNS} rows={summary.domains} rowKey={(d) => `${d.connectionId}/${d.domain}`} rowHeight={44} maxHeight={420} />
        </section>
      </div>
      <CostTable summary={summary} />
    </div>
  );
}
