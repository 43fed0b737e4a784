import { create } from 'zustand';
import type { CachedMailbox, MailboxPageQuery } from '../../../shared/domain/inventory.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { NEAR_QUOTA, usageRatio } from '../../lib/bytes.ts';

/** Columns the table sorts by. */
export type SortKey = 'address' | 'displayName' | 'domain' | 'connection' | 'used' | 'quota' | 'status';

/** Filters of the mailbox table beyond the search text. */
export interface MailboxFilters {
  readonly connectionId: string;
  readonly domain: string;
  readonly status: 'all' | 'active' | 'suspended';
  readonly nearQuota: boolean;
}

/** Rows per keyset page (the most mailboxes.page serves). */
export const PAGE = 1000;

interface RowsState {
  readonly text: string;
  readonly filters: MailboxFilters;
  readonly sort: { readonly key: SortKey; readonly dir: 'asc' | 'desc' };
  /** Rows loaded so far, in view order, contiguous from the first. */
  readonly rows: readonly CachedMailbox[];
  /** Key of the next keyset page; null when every row is loaded. */
  readonly nextKey: string | null;
  readonly loading: boolean;
  /** True once the first page of the current query answered. */
  readonly ready: boolean;
  /** Matching rows as the cache counts them (capped), with `capped` telling "more than". */
  readonly matched: { readonly total: number; readonly capped: boolean } | null;
  /** Rows sorted and filtered here, once all are loaded: for sorts and filters the cache does not do itself. */
  readonly local: boolean;
  readonly error: AppError | null;
  readonly generation: number;
  setText(text: string): void;
  setFilters(patch: Partial<MailboxFilters>): void;
  toggleSort(key: SortKey): void;
  /** Makes sure rows up to `end` are loaded or on their way. */
  ensureRange(end: number): void;
  reload(): void;
}

/** True when the cache's own order and filters (address order; connection, domain, text) answer the view. */
export function serverAnswers(state: Pick<RowsState, 'filters' | 'sort'>): boolean {
  return state.sort.key === 'address' && state.sort.dir === 'asc' && state.filters.status === 'all' && !state.filters.nearQuota;
}

function baseQuery(state: RowsState): MailboxPageQuery {
  const { connectionId, domain } = state.filters;
  return { ...(connectionId ? { connectionId } : {}), ...(domain ? { domain } : {}), ...(state.text.trim() ? { text: state.text.trim() } : {}) };
}

/** The mailbox table's rows: keyset pages of the cache, loaded ahead of the scroll position, searched as you type. */
export const useMailboxRows = create<RowsState>()((set, get) => {
  const fetchNext = async (generation: number): Promise<boolean> => {
    const s = get();
    if (s.loading || (s.ready && s.nextKey === null)) return false;
    set({ loading: true });
    const result = await api.mailboxes.page({ ...baseQuery(s), limit: PAGE, ...(s.nextKey ? { afterKey: s.nextKey } : {}) });
    if (get().generation !== generation) return false;
    if (!result.ok) {
      set({ loading: false, ready: true, error: result.error, nextKey: null });
      return false;
    }
    const { rows, nextKey, total, capped } = result.value;
    set((p) => ({ loading: false, ready: true, error: null, rows: [...p.rows, ...rows], nextKey, matched: p.matched ?? { total, capped } }));
    return nextKey !== null;
  };
  const loadLocal = async (generation: number) => {
    while (await fetchNext(generation));
    if (get().generation !== generation) return;
    const s = get();
    set({ rows: sortRows(filterRows(s.rows, s.filters), s.sort.key, s.sort.dir), local: true });
  };
  const restart = () => {
    const generation = get().generation + 1;
    set({ generation, rows: [], nextKey: null, loading: false, ready: false, matched: null, local: false, error: null });
    if (serverAnswers(get())) void fetchNext(generation);
    else void loadLocal(generation);
  };
  return {
    text: '',
    filters: { connectionId: '', domain: '', status: 'all', nearQuota: false },
    sort: { key: 'address', dir: 'asc' },
    rows: [],
    nextKey: null,
    loading: false,
    ready: false,
    matched: null,
    local: false,
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
    toggleSort: (key) => {
      set((s) => ({ sort: { key, dir: s.sort.key === key && s.sort.dir === 'asc' ? 'desc' : 'asc' } }));
      restart();
    },
    ensureRange: (end) => {
      const s = get();
      // Load ahead: one page before the visible end reaches the loaded end.
      if (serverAnswers(s) && s.ready && end + PAGE / 2 >= s.rows.length) void fetchNext(s.generation);
    },
    reload: restart,
  };
});

/** Rows the table shows: everything loaded, plus placeholders up to the known total while pages stream in. */
export function rowCount(state: Pick<RowsState, 'rows' | 'nextKey' | 'local' | 'ready'>, knownTotal: number | null): number {
  if (state.local || (state.ready && state.nextKey === null)) return state.rows.length;
  if (!state.ready) return 0;
  return Math.max(state.rows.length + 1, knownTotal ?? 0);
}


/** Applies the status and near-quota filters. */
export function filterRows(rows: readonly CachedMailbox[], filters: MailboxFilters): CachedMailbox[] {
  return rows.filter(
    (m) =>
      (filters.status === 'all' || (filters.status === 'active') === m.active) &&
      (!filters.nearQuota || (usageRatio(m.usedBytes, m.quotaBytes) ?? 0) >= NEAR_QUOTA),
  );
}

const VALUE: Record<SortKey, (m: CachedMailbox) => string | number> = {
  address: (m) => m.address,
  displayName: (m) => m.displayName ?? '',
  domain: (m) => m.domain,
  connection: (m) => m.connectionName,
  used: (m) => m.usedBytes ?? -1,
  quota: (m) => m.quotaBytes ?? Number.MAX_SAFE_INTEGER,
  status: (m) => (m.active ? 1 : 0),
};

/** Sorts rows by one column, then by address. */
export function sortRows(rows: CachedMailbox[], key: SortKey, dir: 'asc' | 'desc'): CachedMailbox[] {
  const value = VALUE[key];
  const sign = dir === 'asc' ? 1 : -1;
  return rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c !== 0 ? c * sign : a.address.localeCompare(b.address);
  });
}
