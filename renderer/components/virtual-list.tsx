import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef, type ReactNode } from 'react';
import { FIRST_RECT, visibleItems } from './virtual-table.tsx';
import './virtual-table.css';

/** A list of any length whose items may differ in height: only the visible items (plus a few) are in the DOM, each measuring itself. */
export function VirtualList<T>({ label, items, itemKey, render, estimate = 56, className, maxHeight }: {
  readonly label: string;
  readonly items: readonly T[];
  readonly itemKey: (item: T, index: number) => string;
  readonly render: (item: T) => ReactNode;
  /** The first guess of an item's height in px. */
  readonly estimate?: number;
  readonly className?: string;
  /** A lower cap on the scroll area's height in px than the page-sized default. */
  readonly maxHeight?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const keyOf = useCallback((i: number) => itemKey(items[i]!, i), [items]);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scrollRef.current, estimateSize: () => estimate, overscan: 6, getItemKey: keyOf, initialRect: FIRST_RECT });
  const total = virtualizer.getTotalSize();
  return (
    <div ref={scrollRef} className="vlist" style={{ height: total, ...(maxHeight ? { maxHeight } : {}) }}>
      <ul className={`vlist__space ${className ?? ''}`} aria-label={label} style={{ height: total }}>
        {visibleItems(virtualizer.getVirtualItems(), items.length, estimate, keyOf).map((item) => (
          <li key={item.key as string} ref={virtualizer.measureElement} data-index={item.index} className="vlist__item" aria-setsize={items.length} aria-posinset={item.index + 1} style={{ transform: `translateY(${item.start}px)` }}>
            {render(items[item.index]!)}
          </li>
        ))}
      </ul>
    </div>
  );
}
