import { create } from 'zustand';
import type { CachedMailbox, MailboxPageQuery, MailboxSort } from '../../../shared/domain/inventory.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';

/** Orders the table offers; the cache walks an index for each. */
export type SortKey = MailboxSort;

/** Filters of the mailbox table beyond the search text; all answered by the cache. */
export interface MailboxFilters {
  readonly connectionId: string;
  readonly domain: string;
  readonly status: 'all' | 'active' | 'suspended';
  readonly nearQuota: boolean;
}

/** Rows per chunk: one `mailboxes.page` call, small enough to parse and render inside a frame's slack. */
export const PAGE = 200;
/** Chunks fetched at once; a scroll that outruns them fetches only where it stops. */
const IN_FLIGHT = 2;

interface RowsState {
  readonly text: string;
  readonly filters: MailboxFilters;
  readonly sort: { readonly key: SortKey; readonly dir: 'asc' | 'desc' };
  /** Loaded chunks by index: chunk k holds rows [k·PAGE, (k+1)·PAGE). Never copied as a whole. */
  readonly chunks: ReadonlyMap<number, readonly CachedMailbox[]>;
  /** Every matching row: the cache counts exactly. */
  readonly count: number;
  /** True once the first chunk of the current query answered. */
  readonly ready: boolean;
  readonly error: AppError | null;
  readonly generation: number;
  setText(text: string): void;
  setFilters(patch: Partial<MailboxFilters>): void;
  setSort(key: SortKey, dir?: 'asc' | 'desc'): void;
  toggleSort(key: SortKey): void;
  /** Makes sure the rows from `start` to `end` (the visible ones) are loaded or on their way. */
  ensureRange(start: number, end: number): void;
  reload(): void;
}

/** The row at an index, or undefined while its chunk loads. */
export function rowAt(chunks: ReadonlyMap<number, readonly CachedMailbox[]>, index: number): CachedMailbox | undefined {
  return chunks.get(Math.floor(index / PAGE))?.[index % PAGE];
}

/** The `mailboxes.page` / `mailboxes.search` filters and order of the current view. */
export function viewQuery(state: Pick<RowsState, 'text' | 'filters' | 'sort'>): MailboxPageQuery {
  const { connectionId, domain, status, nearQuota } = state.filters;
  return {
    ...(connectionId ? { connectionId } : {}),
    ...(domain ? { domain } : {}),
    ...(state.text.trim() ? { text: state.text.trim() } : {}),
    ...(status !== 'all' ? { status } : {}),
    ...(nearQuota ? { nearQuota } : {}),
    ...(state.sort.key !== 'address' || state.sort.dir !== 'asc' ? { sort: state.sort.key, dir: state.sort.dir } : {}),
  };
}

/** The mailbox table's rows: chunks of the cache fetched where the viewport is (by offset, so a jump loads no rows before it). */
export const useMailboxRows = create<RowsState>()((set, get) => {
  // Per-query bookkeeping outside the state: it changes on every fetch and no component shows it.
  let nextKeys = new Map<number, string | null>();
  let inFlight = new Set<number>();
  let wanted: readonly [number, number] = [0, 0];

  const fetchChunk = async (k: number, generation: number): Promise<void> => {
    inFlight.add(k);
    const s = get();
    const previous = nextKeys.get(k - 1);
    // After a loaded neighbour the keyset is cheapest; anywhere else an offset jumps straight there.
    const position = k === 0 ? {} : previous ? { afterKey: previous } : { offset: k * PAGE };
    const result = await api.mailboxes.page({ ...viewQuery(s), ...position, limit: PAGE });
    if (get().generation !== generation) return;
    inFlight.delete(k);
    if (!result.ok) {
      set({ ready: true, error: result.error });
      return;
    }
    const { rows, nextKey, total } = result.value;
    nextKeys.set(k, nextKey);
    set((p) => {
      const chunks = new Map(p.chunks);
      chunks.set(k, rows);
      return { chunks, ready: true, error: null, count: total };
    });
    pump(generation);
  };

  const pump = (generation: number): void => {
    const s = get();
    if (s.error) return;
    const [start, end] = wanted;
    const last = s.ready ? Math.max(0, Math.min(end, s.count - 1)) : 0;
    for (let k = Math.floor(start / PAGE); k <= Math.floor(last / PAGE) && inFlight.size < IN_FLIGHT; k += 1) {
      if (!s.chunks.has(k) && !inFlight.has(k)) void fetchChunk(k, generation);
    }
  };

  const restart = (): void => {
    const generation = get().generation + 1;
    nextKeys = new Map();
    inFlight = new Set();
    wanted = [0, 0];
    set({ generation, chunks: new Map(), count: 0, ready: false, error: null });
    void fetchChunk(0, generation);
  };

  return {
    text: '',
    filters: { connectionId: '', domain: '', status: 'all', nearQuota: false },
    sort: { key: 'address', dir: 'asc' },
    chunks: new Map(),
    count: 0,
    ready: false,
    error: null,
    generation: 0,
    setText: (text) => {
      if (text === get().text) return;
      set({ text });
      restart();
    },
    setFilters: (patch) => {
      set((s) => ({ filters: { ...s.filters, ...patch } }));
      restart();
    },
    setSort: (key, dir = 'asc') => {
      set({ sort: { key, dir } });
      restart();
    },
    toggleSort: (key) => {
      set((s) => ({ sort: { key, dir: s.sort.key === key && s.sort.dir === 'asc' ? 'desc' : 'asc' } }));
      restart();
    },
    ensureRange: (start, end) => {
      wanted = [start, end];
      if (get().ready) pump(get().generation);
    },
    reload: restart,
  };
});
