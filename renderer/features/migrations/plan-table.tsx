import { useMemo, useState } from 'react';
import type { MigrationPlanRow } from '../../../shared/domain/migration.ts';
import { Badge } from '../../components/badge.tsx';
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { EndpointCell } from './endpoint-cell.tsx';
import { formatCount, formatEta } from './migration-format.ts';
import { rowFacts, type RowFacts, type WarningKind } from './plan-model.ts';
import './migration-tables.css';

const KIND_LABEL: Record<WarningKind, string> = { oversize: 'Oversize', keywords: 'Keywords', refused: 'Folder name', labels: 'Gmail labels', other: 'Note' };

/** The mailboxes of a plan with their inventory, estimates and warnings, virtualized for plans of thousands; the checkbox keeps or excludes a row. */
export function PlanTable({ rows, excluded, onToggle }: { readonly rows: readonly MigrationPlanRow[]; readonly excluded: ReadonlySet<number>; readonly onToggle: (seq: number) => void }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggleOpen = (seq: number) => setOpen((s) => (s.has(seq) ? new Set([...s].filter((x) => x !== seq)) : new Set([...s, seq])));
  const facts = useMemo(() => new Map(rows.map((row) => [row.seq, rowFacts(row)])), [rows]);
  const f = (row: MigrationPlanRow) => facts.get(row.seq) ?? rowFacts(row);
  const columns: readonly VirtualColumn<MigrationPlanRow>[] = [
    {
      key: 'include',
      label: <span className="visually-hidden">Include</span>,
      width: '40px',
      cell: (row) => <input type="checkbox" className="plan-table__check" checked={!excluded.has(row.seq)} onChange={() => onToggle(row.seq)} aria-label={`Include ${row.source}`} />,
    },
    {
      key: 'pair',
      label: 'Mailbox',
      width: 'minmax(200px, 2fr)',
      rowHeader: true,
      cell: (row) => (
        <div className="plan-table__pair">
          <EndpointCell source={row.source} target={row.target} />
          {!row.hasSourceSecret || !row.hasTargetSecret ? <Badge tone="warning">{!row.hasSourceSecret ? 'No source password' : 'No target password'}</Badge> : null}
        </div>
      ),
    },
    { key: 'folders', label: 'Folders', width: '84px', numeric: true, cell: (row) => formatCount(f(row).folders) },
    { key: 'messages', label: 'Messages', width: '92px', numeric: true, cell: (row) => formatCount(f(row).messages) },
    { key: 'size', label: 'Size', width: '84px', numeric: true, cell: (row) => <SizeCell facts={f(row)} /> },
    { key: 'oversize', label: 'Oversize', width: '84px', numeric: true, cell: (row) => (f(row).oversize ? <Badge tone="danger">{f(row).oversize}</Badge> : formatCount(f(row).oversize)) },
    {
      key: 'labels',
      label: 'Label overhead',
      width: '112px',
      numeric: true,
      cell: (row) => {
        const overhead = f(row).labelOverheadBytes;
        return overhead ? <span className="warning-text">{formatBytes(overhead)}</span> : overhead === null ? '—' : '0';
      },
    },
    {
      key: 'refused',
      label: 'Refused names',
      width: 'minmax(100px, 1fr)',
      cell: (row) => {
        const refused = f(row).refused;
        return refused.length ? <span className="warning-text" title={refused.join(', ')}>{refused.length === 1 ? refused[0] : `${refused.length} folders`}</span> : <span className="muted">{row.estimate ? 'None' : '—'}</span>;
      },
    },
    { key: 'dav', label: 'Calendars & contacts', width: 'minmax(120px, 1fr)', cell: (row) => <DavCell row={row} /> },
    {
      key: 'eta',
      label: 'ETA',
      width: '100px',
      numeric: true,
      cell: (row) => (
        <>
          {row.estimate ? formatEta(f(row).seconds) : <Badge>No inventory</Badge>}
          {f(row).limitedBy && f(row).limitedBy !== 'none' ? <span className="vtable__sub">by {f(row).limitedBy}</span> : null}
        </>
      ),
    },
    {
      key: 'warnings',
      label: <span className="visually-hidden">Warnings</span>,
      width: '84px',
      cell: (row) => {
        const warnings = f(row).warnings;
        return warnings.length ? (
          <button type="button" className="btn btn--ghost btn--sm" aria-expanded={open.has(row.seq)} onClick={() => toggleOpen(row.seq)} aria-label={`${warnings.length} warnings for ${row.source}`}>
            <Badge tone="warning">{warnings.length}</Badge>
            <span className={`chevron ${open.has(row.seq) ? 'chevron--open' : ''}`} aria-hidden="true" />
          </button>
        ) : row.estimate ? (
          <Badge tone="success">Ready</Badge>
        ) : null;
      },
    },
  ];
  return (
    <VirtualTable
      label="Mailboxes in this plan"
      className="plan-vtable"
      columns={columns}
      rows={rows}
      rowKey={(row) => String(row.seq)}
      rowLabel={(row) => `${row.source} to ${row.target}`}
      rowClassName={(row) => (excluded.has(row.seq) ? 'plan-row--excluded' : undefined)}
      rowHeight={64}
      measure
      detail={(row) =>
        open.has(row.seq) ? (
          <ul className="warning-list" aria-label={`Warnings for ${row.source}`}>
            {f(row).warnings.map((w) => (
              <li key={w.text} className={`warning-list__item warning-list__item--${w.kind}`}>
                <span className="warning-list__kind">{KIND_LABEL[w.kind]}</span>
                <span>{w.text}</span>
              </li>
            ))}
          </ul>
        ) : null
      }
    />
  );
}

// The source's calendars and address books with item counts and sizes, or why discovery failed; a dash when the pair has no DAV side.
function DavCell({ row }: { readonly row: MigrationPlanRow }) {
  if (!row.sourceDav) return <span className="muted">—</span>;
  if (!row.dav) return <Badge>Not discovered</Badge>;
  if (row.dav.error) return <Badge tone="danger">Discovery failed</Badge>;
  const calendars = row.dav.collections.filter((c) => c.kind === 'calendar');
  const books = row.dav.collections.filter((c) => c.kind === 'addressbook');
  const items = (list: typeof calendars) => formatCount(list.reduce((n, c) => n + c.items, 0));
  const size = (list: typeof calendars) => formatBytes(list.reduce((n, c) => n + (c.bytes ?? 0), 0));
  const via = /^(google|m365):/.exec(row.sourceDav)?.[1];
  return (
    <span title={[row.sourceDav, ...row.dav.collections.map((c) => `${c.displayName}: ${c.items}`)].join('\n')}>
      {calendars.length} {calendars.length === 1 ? 'calendar' : 'calendars'} · {items(calendars)} items · {size(calendars)}
      <span className="vtable__sub">
        {books.length} {books.length === 1 ? 'address book' : 'address books'} · {items(books)} contacts · {size(books)}
        {via ? ` · via ${via === 'google' ? 'Google Workspace' : 'Microsoft 365'}` : ''}
      </span>
    </span>
  );
}

// The size the estimate counts, and apart what other users' and shared folders hold ("+": not counted, not copied).
function SizeCell({ facts }: { readonly facts: RowFacts }) {
  const shared = facts.shared;
  return (
    <>
      {formatBytes(facts.bytes)}
      {shared ? (
        <span className="vtable__sub" title={`${shared.folders} other users' or shared ${shared.folders === 1 ? 'folder' : 'folders'}, ${shared.messages} messages: ${shared.counted ? 'counted and copied' : 'not counted, copied only when the plan includes shared folders'}`}>
          {shared.counted ? 'incl. ' : '+ '}
          {formatBytes(shared.bytes)} shared
        </span>
      ) : null}
    </>
  );
}
