import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { CachedMailbox } from '../../../shared/domain/inventory.ts';
import { Badge } from '../../components/badge.tsx';
import { UsageBar } from '../../components/usage-bar.tsx';
import { rowCount, useMailboxRows, type SortKey } from './mailbox-rows-store.ts';

const ROW_HEIGHT = 48;

const COLUMNS: readonly { readonly key: SortKey; readonly label: string }[] = [
  { key: 'address', label: 'Mailbox' },
  { key: 'domain', label: 'Domain' },
  { key: 'connection', label: 'Platform' },
  { key: 'status', label: 'Status' },
  { key: 'used', label: 'Storage' },
];

/** The virtualized table of every cached mailbox: only the visible rows are in the DOM, rows load by block as they scroll in. */
export function MailboxTable({ onOpen, selected, knownTotal }: { readonly onOpen: (m: CachedMailbox) => void; readonly selected: string | null; readonly knownTotal: number | null }) {
  const rows = useMailboxRows((s) => s.rows);
  const total = useMailboxRows((s) => rowCount(s, knownTotal));
  const local = useMailboxRows((s) => s.local);
  const sort = useMailboxRows((s) => s.sort);
  const toggleSort = useMailboxRows((s) => s.toggleSort);
  const ensureRange = useMailboxRows((s) => s.ensureRange);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => ensureRange(last), [last, rows.length, ensureRange]);
  useEffect(() => virtualizer.scrollToOffset(0), [sort, local, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!row) return;
    const index = Number(row.dataset['index']);
    const move = event.key === 'ArrowDown' || event.key === 'j' ? 1 : event.key === 'ArrowUp' || event.key === 'k' ? -1 : 0;
    if (move) {
      event.preventDefault();
      const next = Math.min(Math.max(index + move, 0), total - 1);
      virtualizer.scrollToIndex(next);
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
    } else if (event.key === 'Enter') {
      const m = rows[index];
      if (m) onOpen(m);
    }
  };

  return (
    <div className="vtable" role="grid" aria-label="Mailboxes" aria-rowcount={total + 1}>
      <div className="vtable__head" role="row" aria-rowindex={1}>
        {COLUMNS.map((c) => (
          <div key={c.key} role="columnheader" className={`vtable__cell vtable__cell--${c.key}`} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
            <button type="button" className="vtable__sort" onClick={() => toggleSort(c.key)}>
              {c.label}
              <span className="vtable__arrow" aria-hidden="true">
                {sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
              </span>
            </button>
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="vtable__scroll" onKeyDown={onKeyDown} data-testid="mailbox-scroll">
        <div className="vtable__space" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <Row key={item.key} index={item.index} start={item.start} mailbox={rows[item.index]} selected={selected} onOpen={onOpen} />
          ))}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  readonly index: number;
  readonly start: number;
  readonly mailbox: CachedMailbox | undefined;
  readonly selected: string | null;
  readonly onOpen: (m: CachedMailbox) => void;
}

const Row = memo(function Row({ index, start, mailbox: m, selected, onOpen }: RowProps) {
  const style = { transform: `translateY(${start}px)` };
  if (!m) {
    return (
      <div className="vtable__row vtable__row--loading" role="row" aria-rowindex={index + 2} data-index={index} style={style}>
        <div className="vtable__cell vtable__cell--address" role="gridcell">
          <span className="skeleton__bar skeleton__bar--wide" />
        </div>
      </div>
    );
  }
  return (
    <div
      className={`vtable__row ${selected === `${m.connectionId}/${m.address}` ? 'vtable__row--selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-label={m.address}
      data-index={index}
      tabIndex={0}
      style={style}
      onClick={() => onOpen(m)}
    >
      <div className="vtable__cell vtable__cell--address" role="gridcell">
        <span className="vtable__primary">{m.address}</span>
        <span className="vtable__sub">
          {m.displayName ?? 'No display name'}
          {m.forwardTargets.length > 0 ? <span className="tag">→ {m.forwardTargets.length === 1 ? m.forwardTargets[0] : `${m.forwardTargets.length} targets`}</span> : null}
        </span>
      </div>
      <div className="vtable__cell vtable__cell--domain" role="gridcell">
        {m.domain}
      </div>
      <div className="vtable__cell vtable__cell--connection" role="gridcell">
        <span className="vtable__primary-sm">{m.connectionName}</span>
        <span className="vtable__sub">{m.connectionKind}</span>
      </div>
      <div className="vtable__cell vtable__cell--status" role="gridcell">
        {m.active ? <Badge tone="success">Active</Badge> : <Badge tone="warning">Suspended</Badge>}
        {m.stale ? <Badge tone="neutral">Stale</Badge> : null}
      </div>
      <div className="vtable__cell vtable__cell--used" role="gridcell">
        <UsageBar used={m.usedBytes} quota={m.quotaBytes} />
      </div>
    </div>
  );
});
