import { create } from 'zustand';
import type { ConnectionSummary } from '../../shared/domain/connection.ts';
import type { CachedDomain, NewDomain, RefreshReport } from '../../shared/domain/inventory.ts';
import type { AppError, Result } from '../../shared/errors/result.ts';
import { api } from '../api/client.ts';
import { afterFramesWhenIdle } from '../lib/after-paint.ts';
import { naturalCompare } from '../lib/natural-sort.ts';
import { useCapabilities } from './capabilities-store.ts';
import { useConnections } from './connections-store.ts';

/** Progress of one connection's refresh in this session. */
export type RefreshState =
  | { readonly status: 'running'; readonly startedAt: number }
  | { readonly status: 'done'; readonly report: RefreshReport }
  | { readonly status: 'failed'; readonly error: AppError };

interface InventoryState {
  readonly domains: readonly CachedDomain[];
  /** True once the first load (connections and domains) has answered. */
  readonly loaded: boolean;
  /** Why the domain cache could not be read; the connection list's own error lives in useConnections. */
  readonly loadError: AppError | null;
  readonly refreshes: Readonly<Record<string, RefreshState>>;
  /** Bumped after every change, so views over the cache reload. */
  readonly revision: number;
  /** Reloads the connection list and the cached domains, then fetches the capabilities not known yet. */
  load(): Promise<void>;
  refresh(connectionId: string): Promise<Result<RefreshReport>>;
  refreshAll(): Promise<void>;
  createDomain(connectionId: string, input: NewDomain): Promise<Result<unknown>>;
  removeDomain(connectionId: string, name: string): Promise<Result<unknown>>;
  /** Marks the cache changed (after a write elsewhere) and reloads the domain list. */
  changed(): void;
}

/** The cached domains across every connection: the shared base of the Domains, Mailboxes, Storage and Routing views. */
export const useInventory = create<InventoryState>()((set, get) => ({
  domains: [],
  loaded: false,
  loadError: null,
  refreshes: {},
  revision: 0,
  load: async () => {
    const [, domains] = await Promise.all([useConnections.getState().load(), api.domains.list({})]);
    if (domains.ok) {
      const sorted = [...domains.value].sort(byDomain);
      const state = get();
      // An unchanged list keeps its array, and nothing is set when nothing changed: every view over the store
      // (the Domains page subscribes to all of it) would otherwise render again for nothing.
      const same = sameDomains(state.domains, sorted);
      if (!same || !state.loaded || state.loadError) set({ loaded: true, loadError: null, ...(same ? {} : { domains: sorted }) });
    } else set({ loaded: true, loadError: domains.error });
    const connections = useConnections.getState();
    if (!connections.loadError) await useCapabilities.getState().ensure(connections.items.map((c) => c.id));
  },
  refresh: async (connectionId) => {
    set((s) => ({ refreshes: { ...s.refreshes, [connectionId]: { status: 'running', startedAt: Date.now() } } }));
    const result = await api.domains.refresh(connectionId);
    set((s) => ({ refreshes: { ...s.refreshes, [connectionId]: result.ok ? { status: 'done', report: result.value } : { status: 'failed', error: result.error } } }));
    get().changed();
    return result;
  },
  refreshAll: async () => {
    const ids = provisioningConnections(useConnections.getState().items).map((c) => c.id);
    await Promise.all(ids.map((id) => get().refresh(id)));
  },
  createDomain: async (connectionId, input) => {
    const result = await api.domains.create(connectionId, input);
    if (result.ok) get().changed();
    return result;
  },
  removeDomain: async (connectionId, name) => {
    const result = await api.domains.remove(connectionId, name);
    if (result.ok) get().changed();
    return result;
  },
  changed: () => {
    set((s) => ({ revision: s.revision + 1 }));
    void get().load();
  },
}));

// Field by field: two JSON.stringify calls over 1,000 domains took 9–15 ms of a page's first visit (bench/cache/README.md).
function sameDomains(a: readonly CachedDomain[], b: readonly CachedDomain[]): boolean {
  return a.length === b.length && a.every((d, i) => sameFields(d, b[i]!));
}

function sameFields(a: object, b: object): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const x: unknown = (a as Record<string, unknown>)[k];
    const y: unknown = (b as Record<string, unknown>)[k];
    return x === y || (typeof x === 'object' && typeof y === 'object' && x !== null && y !== null && JSON.stringify(x) === JSON.stringify(y));
  });
}

/** Domains in natural order (client2 before client10), then by connection. */
function byDomain(a: CachedDomain, b: CachedDomain): number {
  return naturalCompare(a.name, b.name) || naturalCompare(a.connectionName, b.connectionName);
}

// A new table draws its rows over its first frames (virtual-table.tsx, TABLE_STEPS); a frame more for the page around it.
const PAGE_FRAMES = 5;

/**
 * Reloads the domain list for a page being opened: at once when none is loaded yet, else after the page's first frames,
 * when the browser is idle. Re-reading 1,000 unchanged domains (a 300 kB answer to parse, sort and compare) landed in
 * the frames that drew the page and was the busiest frame of a first visit (bench/cache/README.md). Returns a cancel.
 */
export function reloadForPage(): () => void {
  const { loaded, load } = useInventory.getState();
  if (!loaded) {
    void load();
    return () => undefined;
  }
  return afterFramesWhenIdle(PAGE_FRAMES, () => void useInventory.getState().load());
}

/** Connections that hold provisionable inventory (not IMAP-only). */
export function provisioningConnections(connections: readonly ConnectionSummary[]): ConnectionSummary[] {
  return connections.filter((c) => c.kind !== 'imap');
}
