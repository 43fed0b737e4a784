import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { CachedMailbox } from '../../../shared/domain/inventory.ts';
import { Badge } from '../../components/badge.tsx';
import { moveGridFocus } from '../../components/grid-keys.ts';
import { FIRST_RECT, observeRectAfterLayout, rowsAtStep, scrollAfterMount, TABLE_STEPS, useFrameSteps } from '../../components/virtual-table.tsx';
import { UsageBar } from '../../components/usage-bar.tsx';
import { rowAt, useMailboxRows, type SortKey } from './mailbox-rows-store.ts';
import { platformName } from '../../lib/platform-name.ts';

const ROW_HEIGHT = 48;

const COLUMNS: readonly { readonly key: string; readonly label: string; readonly sort?: SortKey }[] = [
  { key: 'address', label: 'Mailbox', sort: 'address' },
  { key: 'domain', label: 'Domain', sort: 'domain' },
  { key: 'connection', label: 'Platform' },
  { key: 'status', label: 'Status' },
  { key: 'used', label: 'Storage', sort: 'used' },
];

/** The virtualized table of every cached mailbox: only the visible rows are in the DOM, their chunks load where the viewport is. */
export function MailboxTable({ onOpen, selected }: { readonly onOpen: (m: CachedMailbox) => void; readonly selected: string | null }) {
  const chunks = useMailboxRows((s) => s.chunks);
  const total = useMailboxRows((s) => s.count);
  const sort = useMailboxRows((s) => s.sort);
  const generation = useMailboxRows((s) => s.generation);
  const toggleSort = useMailboxRows((s) => s.toggleSort);
  const ensureRange = useMailboxRows((s) => s.ensureRange);
  const scrollRef = useRef<HTMLDivElement>(null);
  // Few overscan rows: a fast scroll replaces every row each frame, and each costs layout and raster. The scroll area's
  // size comes after the browser's layout, not read mid-commit (that forced the new page's whole layout into the commit).
  // The page around the table paints first, its rows over the next three frames and the overscan rows last, as in VirtualTable.
  const step = useFrameSteps(TABLE_STEPS.overscan);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: step >= TABLE_STEPS.overscan ? 4 : 0, initialRect: FIRST_RECT, observeElementRect: observeRectAfterLayout, scrollToFn: scrollAfterMount });
  const items = rowsAtStep(virtualizer.getVirtualItems(), step);
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  // A fling (the whole viewport replaced between two frames) draws address-only rows and fetches nothing:
  // nobody reads rows at that speed, and a chunk would arrive after they left. Full rows return when it slows.
  const offset = virtualizer.scrollOffset ?? 0;
  const motion = useRef({ offset: 0, at: 0 });
  const fast = virtualizer.isScrolling && Math.abs(offset - motion.current.offset) > (virtualizer.scrollRect?.height ?? 600) && performance.now() - motion.current.at < 100;
  useLayoutEffect(() => {
    motion.current = { offset, at: performance.now() };
  });
  const slots = useRef(new Map<number, number>());
  const slotOf = assignSlots(slots.current, items.map((i) => i.index));
  slots.current = slotOf;
  useEffect(() => {
    if (!fast) ensureRange(first, last);
  }, [first, last, fast, ensureRange]);
  // Back to the top for a new row set, unless already there (a new table): the scroll write reads the area's layout
  // (its maximum offset), which forced the fresh page's layout in an effect before the browser's own.
  useEffect(() => {
    if ((virtualizer.scrollOffset ?? 0) !== 0) virtualizer.scrollToOffset(0);
  }, [generation, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = moveGridFocus(event, total, scrollRef, virtualizer);
    if (index === null) return;
    if (event.key === 'Enter') {
      const m = rowAt(chunks, index);
      if (m) onOpen(m);
    }
  };

  return (
    <div className="vtable" role="grid" aria-label="Mailboxes" aria-rowcount={total + 1}>
      <div className="vtable__head" role="row" aria-rowindex={1}>
        {COLUMNS.map((c) => (
          <div key={c.key} role="columnheader" className={`vtable__cell vtable__cell--${c.key}`} aria-sort={c.sort && sort.key === c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
            {c.sort ? (
              <button type="button" className="vtable__sort" onClick={() => toggleSort(c.sort!)}>
                {c.label}
                <span className="vtable__arrow" aria-hidden="true">
                  {sort.key === c.sort ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
            ) : (
              <span className="vtable__sort">{c.label}</span>
            )}
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="vtable__scroll" onKeyDown={onKeyDown} data-testid="mailbox-scroll">
        <div className="vtable__space" style={{ height: virtualizer.getTotalSize() }}>
          {/* Keyed by slot: the row entering takes over the DOM of a row that left, instead of a mount and an unmount. */}
          {items.map((item) => (
            <Row key={slotOf.get(item.index)} index={item.index} start={item.start} mailbox={rowAt(chunks, item.index)} lite={fast} selected={selected} onOpen={onOpen} />
          ))}
        </div>
      </div>
    </div>
  );
}

/** Gives each visible row a slot: rows still visible keep theirs, new rows take the slots of rows that left. */
function assignSlots(previous: ReadonlyMap<number, number>, indices: readonly number[]): Map<number, number> {
  const next = new Map<number, number>();
  const taken = new Set<number>();
  for (const i of indices) {
    const slot = previous.get(i);
    if (slot !== undefined) {
      next.set(i, slot);
      taken.add(slot);
    }
  }
  const free = [...previous.values()].filter((s) => !taken.has(s));
  let fresh = Math.max(-1, ...previous.values(), ...taken) + 1;
  for (const i of indices) if (!next.has(i)) next.set(i, free.pop() ?? fresh++);
  return next;
}

interface RowProps {
  readonly index: number;
  readonly start: number;
  readonly mailbox: CachedMailbox | undefined;
  /** Address only, while flinging. */
  readonly lite: boolean;
  readonly selected: string | null;
  readonly onOpen: (m: CachedMailbox) => void;
}

const Row = memo(function Row({ index, start, mailbox: m, lite, selected, onOpen }: RowProps) {
  const style = { transform: `translateY(${start}px)` };
  if (lite) {
    return (
      <div className="vtable__row vtable__row--lite" role="row" aria-rowindex={index + 2} data-index={index} style={style}>
        <div className="vtable__cell vtable__cell--address" role="gridcell">
          {m ? m.address : ''}
        </div>
      </div>
    );
  }
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
        <span className="vtable__sub">{platformName(m.connectionKind)}</span>
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
