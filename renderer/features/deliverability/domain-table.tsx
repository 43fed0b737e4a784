import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, type KeyboardEvent } from 'react';
import { Badge } from '../../components/badge.tsx';
import { moveGridFocus } from '../../components/grid-keys.ts';
import { RelativeTime } from '../../components/relative-time.tsx';
import type { DomainRow, SortKey } from './deliverability-store.ts';
import { scoreTone } from './severity.ts';

const ROW_HEIGHT = 40;

const COLUMNS: readonly { readonly key: SortKey; readonly label: string }[] = [
  { key: 'domain', label: 'Domain' },
  { key: 'score', label: 'Score' },
  { key: 'critical', label: 'Critical' },
  { key: 'error', label: 'Errors' },
  { key: 'warning', label: 'Warnings' },
  { key: 'at', label: 'Checked' },
];

interface DomainTableProps {
  readonly rows: readonly DomainRow[];
  readonly total: number;
  readonly sort: { readonly key: SortKey; readonly descending: boolean };
  readonly selected: string | null;
  readonly monitored: ReadonlySet<string>;
  readonly onSort: (key: SortKey) => void;
  readonly onSelect: (domain: string) => void;
}

/** Domains by health: a virtualized grid, so 500+ domains scroll without rendering every row. */
export function DomainTable({ rows, total, sort, selected, monitored, onSort, onSelect }: DomainTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = moveGridFocus(event, rows.length, scrollRef, virtualizer);
    if (index === null) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const r = rows[index];
      if (r) onSelect(r.domain);
    }
  };

  return (
    <div className="dlv-table" role="grid" aria-label="Domains by health" aria-rowcount={rows.length + 1}>
      <div className="dlv-table__head" role="row" aria-rowindex={1}>
        {COLUMNS.map((c) => (
          <div key={c.key} role="columnheader" className={`dlv-table__cell dlv-table__cell--${c.key}`} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
            <button type="button" className="dlv-table__sort" onClick={() => onSort(c.key)}>
              {c.label}
              <span className="dlv-table__arrow" aria-hidden="true">
                {sort.key === c.key ? (sort.descending ? '▼' : '▲') : ''}
              </span>
            </button>
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="dlv-table__scroll" onKeyDown={onKeyDown}>
        <div className="dlv-table__space" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <Row key={item.key} index={item.index} start={item.start} row={rows[item.index]!} selected={rows[item.index]!.domain === selected} monitored={monitored.has(rows[item.index]!.domain)} onSelect={onSelect} />
          ))}
        </div>
      </div>
      <div className="dlv-table__foot">
        {rows.length === total ? `${total.toLocaleString()} domains` : `${rows.length.toLocaleString()} of ${total.toLocaleString()} domains`}
      </div>
    </div>
  );
}

interface RowProps {
  readonly index: number;
  readonly start: number;
  readonly row: DomainRow;
  readonly selected: boolean;
  readonly monitored: boolean;
  readonly onSelect: (domain: string) => void;
}

const Row = memo(function Row({ index, start, row, selected, monitored, onSelect }: RowProps) {
  const count = (n: number, tone: 'danger' | 'warning') => (n > 0 ? <span className={`dlv-count dlv-count--${tone}`}>{n}</span> : <span className="dlv-count dlv-count--zero">0</span>);
  return (
    <div
      className={`dlv-table__row ${selected ? 'dlv-table__row--selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-label={row.domain}
      data-index={index}
      tabIndex={0}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => onSelect(row.domain)}
    >
      <div className="dlv-table__cell dlv-table__cell--domain" role="gridcell">
        <span className="dlv-table__name">{row.domain}</span>
        {monitored ? <span className="tag" title="Re-checked on a schedule">monitored</span> : null}
        {row.profile !== 'hosted' ? <span className="tag">{row.profile}</span> : null}
      </div>
      <div className="dlv-table__cell dlv-table__cell--score" role="gridcell">
        <Badge tone={scoreTone(row.score)}>{row.score}</Badge>
      </div>
      <div className="dlv-table__cell dlv-table__cell--critical" role="gridcell">
        {count(row.counts.critical, 'danger')}
      </div>
      <div className="dlv-table__cell dlv-table__cell--error" role="gridcell">
        {count(row.counts.error, 'danger')}
      </div>
      <div className="dlv-table__cell dlv-table__cell--warning" role="gridcell">
        {count(row.counts.warning, 'warning')}
      </div>
      <div className="dlv-table__cell dlv-table__cell--at muted" role="gridcell">
        <RelativeTime iso={row.at} />
      </div>
    </div>
  );
});
