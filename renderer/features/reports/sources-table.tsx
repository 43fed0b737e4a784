import { useMemo, useState } from 'react';
import type { ReverseName } from '../../../shared/domain/reports-insights.ts';
import type { ReportSource, SourceClass } from '../../../shared/domain/reports.ts';
import { Badge, type BadgeTone } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { Icon } from '../../components/icons.tsx';
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table.tsx';
import { downloadText } from '../../lib/csv.ts';
import { useSearch } from '../../state/search-store.ts';
import { CLASS_TEXT, isoDay, percent, ptrText, sourcesCsv, visibleSources, type SourceRow, type SourceSortKey } from './reports-model.ts';

const TONE: Record<SourceClass, BadgeTone> = { aligned: 'success', 'authorised-unaligned': 'warning', forwarded: 'info', unknown: 'danger' };

/** One domain's sending sources by IP: reverse DNS, known sender, class and counts; filtered by the top bar, sortable, CSV. */
export function SourcesTable({ domain, sources, names }: { readonly domain: string; readonly sources: readonly ReportSource[]; readonly names: Readonly<Record<string, ReverseName>> }) {
  const query = useSearch((s) => s.query);
  const [sort, setSort] = useState<{ key: SourceSortKey; descending: boolean }>({ key: 'messages', descending: true });
  const all = useMemo<SourceRow[]>(() => sources.map((s) => ({ ...s, ptr: names[s.sourceIp] })), [sources, names]);
  const rows = useMemo(() => visibleSources(all, query, sort), [all, query, sort]);
  const header = (key: SourceSortKey, label: string) => (
    <button type="button" className="reports-sort" onClick={() => setSort((s) => ({ key, descending: s.key === key ? !s.descending : key === 'messages' || key === 'pass' }))} aria-label={`Sort by ${label}`}>
      {label}
      {sort.key === key ? <span aria-hidden="true">{sort.descending ? ' ▼' : ' ▲'}</span> : null}
    </button>
  );
  const columns = useMemo<VirtualColumn<SourceRow>[]>(
    () => [
      {
        key: 'ip',
        label: header('ip', 'Source IP'),
        width: 'minmax(190px, 1.1fr)',
        rowHeader: true,
        cell: (r) => (
          <span className="reports-ip">
            <code>{r.sourceIp}</code>
            <CopyButton text={r.sourceIp} label="Copy IP" />
          </span>
        ),
      },
      { key: 'ptr', label: header('ptr', 'Reverse DNS'), width: 'minmax(150px, 1.5fr)', cell: (r) => <span className={r.ptr?.status === 'ok' ? '' : 'muted'}>{ptrText(r.ptr)}</span> },
      { key: 'sender', label: header('sender', 'Known sender'), width: 'minmax(125px, 1fr)', cell: (r) => r.knownSender ?? <span className="muted">—</span> },
      { key: 'class', label: header('class', 'Classification'), width: 'minmax(185px, 1fr)', cell: (r) => <Badge tone={TONE[r.classification]}>{CLASS_TEXT[r.classification]}</Badge> },
      { key: 'messages', label: header('messages', 'Messages'), width: '105px', numeric: true, cell: (r) => r.messages.toLocaleString() },
      { key: 'pass', label: header('pass', 'DMARC pass'), width: '130px', numeric: true, cell: (r) => `${r.dmarcPass.toLocaleString()} (${percent(r.dmarcPass, r.messages)})` },
      { key: 'aligned', label: <span title="Messages whose DKIM / SPF result aligned with the domain">DKIM/SPF</span>, width: '110px', numeric: true, cell: (r) => `${r.dkimAligned.toLocaleString()} / ${r.spfAligned.toLocaleString()}` },
      { key: 'seen', label: 'Last seen', width: '105px', cell: (r) => isoDay(r.lastSeen) },
    ],
    [sort],
  );
  return (
    <section className="card reports-card" aria-labelledby="reports-sources-title">
      <div className="reports-card__head">
        <h2 id="reports-sources-title" className="reports-card__title">
          Sending sources
        </h2>
        <span className="list-meta" role="status">
          {rows.length === all.length ? `${all.length.toLocaleString()} IPs` : `${rows.length.toLocaleString()} of ${all.length.toLocaleString()} IPs`}
        </span>
        <Button size="sm" icon={<Icon name="download" size={16} />} disabled={rows.length === 0} onClick={() => downloadText(`dmarc-sources-${domain}.csv`, sourcesCsv(rows))}>
          Export CSV
        </Button>
      </div>
      {all.length === 0 ? (
        <EmptyState title="No sending source in this period">
          <p>No aggregate report for {domain} lists a sending IP in the chosen period.</p>
        </EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title="No source matches the filter">
          <p>Nothing matches “{query}”. Filter by IP, host name, sender or classification.</p>
        </EmptyState>
      ) : (
        <VirtualTable label={`Sending sources of ${domain}`} columns={columns} rows={rows} rowKey={(r) => r.sourceIp} rowHeight={48} maxHeight={520} testId="reports-sources" />
      )}
    </section>
  );
}
