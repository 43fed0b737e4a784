import type { KeyboardEvent, RefObject } from 'react';

/** Moves focus between a virtualized grid's `data-index` rows on ArrowUp/ArrowDown or k/j; for other keys returns the row's index, else null. */
export function moveGridFocus(event: KeyboardEvent<HTMLElement>, count: number, scrollRef: RefObject<HTMLElement | null>, virtualizer: { scrollToIndex(index: number): void }): number | null {
  const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
  if (!row) return null;
  const index = Number(row.dataset['index']);
  const move = event.key === 'ArrowDown' || event.key === 'j' ? 1 : event.key === 'ArrowUp' || event.key === 'k' ? -1 : 0;
  if (!move) return index;
  event.preventDefault();
  const next = Math.min(Math.max(index + move, 0), count - 1);
  virtualizer.scrollToIndex(next);
  requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
  return null;
}
