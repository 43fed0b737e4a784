import { elementScroll, useVirtualizer, type Rect, type VirtualizerOptions, type Virtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import './virtual-table.css';

/** The size assumed before the scroll area is measured. */
export const FIRST_RECT = { width: 1200, height: 640 };

/** The virtualizer's items, or the first rows when the area has no size (not laid out yet, or a DOM without layout). */
export function visibleItems<I extends { readonly index: number; readonly start: number; readonly key: unknown }>(items: readonly I[], count: number, size: number, key: (i: number) => string): readonly { readonly index: number; readonly start: number; readonly key: unknown }[] {
  if (items.length > 0 || count === 0) return items;
  return Array.from({ length: Math.min(count, Math.ceil(FIRST_RECT.height / size)) }, (_, index) => ({ index, start: index * size, key: key(index) }));
}

/**
 * The scroll area's size from its ResizeObserver only, which reports after the browser's own layout. The virtualizer's
 * default also reads the size while React commits, which forces the whole new page's first style and layout into the
 * commit and re-renders it at once: the longest task of a page's first visit (bench/cache/README.md).
 */
export function observeRectAfterLayout(instance: Virtualizer<HTMLDivElement, Element>, report: (rect: Rect) => void): (() => void) | undefined {
  const element = instance.scrollElement;
  if (!element || typeof ResizeObserver === 'undefined') return undefined;
  const observer = new ResizeObserver(() => report({ width: element.clientWidth, height: element.clientHeight }));
  observer.observe(element);
  return () => observer.disconnect();
}

const scrolledOnce = new WeakSet<Element>();

/** The virtualizer's scroll writes, but the one it makes on mount to put a new scroll area at 0, where it already is: reading layout mid-commit, it forced the first layout there too. */
export const scrollAfterMount: VirtualizerOptions<HTMLDivElement, Element>['scrollToFn'] = (offset, options, instance) => {
  const element = instance.scrollElement;
  if (element && !scrolledOnce.has(element)) {
    scrolledOnce.add(element);
    if (offset + (options.adjustments ?? 0) === 0) return;
  }
  elementScroll(offset, options, instance);
};

/** Counts the frames since mount, up to `last`: 0 while the component first commits, 1 a frame later, and so on. */
export function useFrameSteps(last: number): number {
  const [step, setStep] = useState(0);
  useEffect(() => {
    if (step >= last) return undefined;
    const frame = requestAnimationFrame(() => setStep((s) => s + 1));
    return () => cancelAnimationFrame(frame);
  }, [step, last]);
  return step;
}

/** The frame steps of a new table: its page, then the rows on screen a third at a time from the top, and the overscan rows. */
export const TABLE_STEPS = { rows: 1, allRows: 3, overscan: 4 } as const;

/** Up to this many rows on screen are drawn in one frame; a screenful more is split over three. */
export const ROWS_IN_ONE_FRAME = 8;

/**
 * The rows a new table draws at a frame step: none in the frame of the page around it, then those on screen; a screenful
 * of them comes over three frames, the upper third first. Drawn at once, the rows' render, style, layout and paint were
 * the busiest frame of a first visit of the Domains page, and still were in halves (bench/cache/README.md).
 */
export function rowsAtStep<I>(items: readonly I[], step: number): readonly I[] {
  if (step < TABLE_STEPS.rows) return [];
  if (step >= TABLE_STEPS.allRows || items.length <= ROWS_IN_ONE_FRAME) return items;
  const frames = TABLE_STEPS.allRows - TABLE_STEPS.rows + 1;
  return items.slice(0, Math.ceil((items.length * (step - TABLE_STEPS.rows + 1)) / frames));
}

/** One column of a VirtualTable. */
export interface VirtualColumn<T> {
  readonly key: string;
  /** The header; a string is also the column's accessible name. */
  readonly label: ReactNode;
  /** The CSS grid track, e.g. "minmax(200px, 2fr)" or "120px". */
  readonly width: string;
  readonly cell: (row: T) => ReactNode;
  /** Right-aligned figures. */
  readonly numeric?: boolean;
  /** The first column names the row (a row header). */
  readonly rowHeader?: boolean;
}

/** Props of VirtualTable. */
export interface VirtualTableProps<T> {
  /** The table's accessible name. */
  readonly label: string;
  readonly columns: readonly VirtualColumn<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  /** Height of a row in px; with `measure`, the first guess before rows measure themselves. */
  readonly rowHeight?: number;
  /** Rows of varying height (e.g. expandable ones) measure themselves. */
  readonly measure?: boolean;
  /** The row's accessible name, when its cells do not say it well (e.g. "source to target"). */
  readonly rowLabel?: (row: T) => string;
  /** The row's class, e.g. to mark a selection. */
  readonly rowClassName?: (row: T) => string | undefined;
  /** A row's expanded part, shown under its cells (needs `measure`). */
  readonly detail?: (row: T) => ReactNode;
  readonly testId?: string;
  readonly className?: string;
  /** A lower cap on the scroll area's height in px than the page-sized default. */
  readonly maxHeight?: number;
}

/**
 * A table of any length: a header and a scroll area in which only the visible rows (plus a few) are in the DOM.
 * ARIA table semantics (rows, column headers, cells) with the full row count, so screen readers and tests see a table.
 */
export function VirtualTable<T>({ label, columns, rows, rowKey, rowHeight = 52, measure = false, rowLabel, rowClassName, detail, testId, className, maxHeight }: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // One key function per row list: a new one each render would make the virtualizer re-measure every row on every scroll frame.
  const keyOf = useCallback((i: number) => rowKey(rows[i]!), [rows]);
  // initialRect: the first rows are drawn before the scroll area is measured.
  // The rows come over the frames after the table's own (rowsAtStep); the overscan (rows just outside the view) last.
  const step = useFrameSteps(TABLE_STEPS.overscan);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: step >= TABLE_STEPS.overscan ? 6 : 0, getItemKey: keyOf, initialRect: FIRST_RECT, observeElementRect: observeRectAfterLayout, scrollToFn: scrollAfterMount });
  const template = { '--vt-columns': columns.map((c) => c.width).join(' '), '--vt-row': `${rowHeight}px` } as CSSProperties;
  const total = virtualizer.getTotalSize();
  // A new page's first frame (its DOM, style, layout and paint, and the old page's removal) and its rows' style and
  // layout (most of the page's cost) would together take more than one frame on a slow machine: the rows come next.
  const items = rowsAtStep(visibleItems(virtualizer.getVirtualItems(), rows.length, rowHeight, keyOf), step);
  return (
    <div className={`vtable vtable--static ${className ?? ''}`} role="table" aria-label={label} aria-rowcount={rows.length + 1} style={template}>
      <div className="vtable__head" role="row" aria-rowindex={1}>
        {columns.map((c) => (
          <div key={c.key} role="columnheader" className={`vtable__cell vtable__cell--${c.key} ${c.numeric ? 'vtable__cell--num' : ''}`}>
            <span className="vtable__sort">{c.label}</span>
          </div>
        ))}
      </div>
      {/* The area is as tall as its rows up to the CSS maximum, so a short table does not leave an empty box. */}
      <div ref={scrollRef} className="vtable__scroll vtable__scroll--fit" style={{ height: total, ...(maxHeight ? { maxHeight } : {}) }} data-testid={testId}>
        <div className="vtable__space" style={{ height: total }}>
          {items.map((item) => (
            <Row
              key={item.key as string}
              row={rows[item.index]!}
              index={item.index}
              start={item.start}
              columns={columns}
              className={rowClassName?.(rows[item.index]!)}
              label={rowLabel?.(rows[item.index]!)}
              detail={detail}
              measureRef={measure ? virtualizer.measureElement : undefined}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

interface RowProps<T> {
  readonly row: T;
  readonly index: number;
  readonly start: number;
  readonly columns: readonly VirtualColumn<T>[];
  readonly className: string | undefined;
  readonly label: string | undefined;
  readonly detail: ((row: T) => ReactNode) | undefined;
  readonly measureRef: ((el: Element | null) => void) | undefined;
}

const Row = memo(function Row<T>({ row, index, start, columns, className, label, detail, measureRef }: RowProps<T>) {
  const extra = detail?.(row);
  const flat = !detail && !measureRef;
  const cells = columns.map((c) => (
    <div key={c.key} role={c.rowHeader ? 'rowheader' : 'cell'} className={`vtable__cell vtable__cell--${c.key} ${c.numeric ? 'vtable__cell--num' : ''}`}>
      {c.cell(row)}
    </div>
  ));
  return (
    <div
      ref={measureRef}
      className={`vtable__row vtable__row--static ${measureRef ? 'vtable__row--auto' : ''} ${flat ? 'vtable__row--grid' : ''} ${className ?? ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-label={label}
      data-index={index}
      style={{ transform: `translateY(${start}px)` }}
    >
      {/* A fixed row without a detail is the grid itself: one box fewer per row to style and lay out. */}
      {flat ? cells : <div className="vtable__cells">{cells}</div>}
      {extra ? (
        <div className="vtable__detail" role="cell" aria-colspan={columns.length}>
          {extra}
        </div>
      ) : null}
    </div>
  );
}) as <T>(props: RowProps<T>) => ReactNode;
