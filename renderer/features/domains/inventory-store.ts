import { create } from 'zustand';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { CachedDomain, NewDomain, RefreshReport } from '../../../shared/domain/inventory.ts';
import type { Capabilities } from '../../../shared/domain/provisioning.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { assumedCapabilities } from './capabilities.ts';

/** Progress of one connection's refresh in this session. */
export type RefreshState =
  | { readonly status: 'running'; readonly startedAt: number }
  | { readonly status: 'done'; readonly report: RefreshReport }
  | { readonly status: 'failed'; readonly error: AppError };

interface InventoryState {
  readonly connections: readonly ConnectionSummary[];
  readonly domains: readonly CachedDomain[];
  readonly loaded: boolean;
  readonly loadError: AppError | null;
  readonly refreshes: Readonly<Record<string, RefreshState>>;
  /** Probed capabilities per connection id. */
  readonly capabilities: Readonly<Record<string, Capabilities>>;
  /** Bumped after every change, so views over the cache reload. */
  readonly revision: number;
  load(): Promise<void>;
  refresh(connectionId: string): Promise<Result<RefreshReport>>;
  refreshAll(): Promise<void>;
  createDomain(connectionId: string, input: NewDomain): Promise<Result<unknown>>;
  removeDomain(connectionId: string, name: string): Promise<Result<unknown>>;
  /** Marks the cache changed (after a write elsewhere) and reloads the domain list. */
  changed(): void;
}

/** Connections and the cached domains across them: the shared base of the Domains, Mailboxes and Storage views. */
export const useInventory = create<InventoryState>()((set, get) => ({
  connections: [],
  domains: [],
  loaded: false,
  loadError: null,
  refreshes: {},
  capabilities: {},
  revision: 0,
  load: async () => {
    const [connections, domains] = await Promise.all([api.connections.list(), api.domains.list({})]);
    if (!connections.ok) return set({ loaded: true, loadError: connections.error });
    if (!domains.ok) return set({ loaded: true, loadError: domains.error, connections: connections.value });
    set({ loaded: true, loadError: null, connections: connections.value, domains: domains.value });
    const missing = connections.value.filter((c) => c.kind !== 'imap' && !get().capabilities[c.id]);
    const probed = await Promise.all(missing.map(async (c) => [c.id, await api.connections.capabilities(c.id)] as const));
    const found = probed.flatMap(([id, r]) => (r.ok ? [[id, r.value] as const] : []));
    if (found.length) set((s) => ({ capabilities: { ...s.capabilities, ...Object.fromEntries(found) } }));
  },
  refresh: async (connectionId) => {
    set((s) => ({ refreshes: { ...s.refreshes, [connectionId]: { status: 'running', startedAt: Date.now() } } }));
    const result = await api.domains.refresh(connectionId);
    set((s) => ({ refreshes: { ...s.refreshes, [connectionId]: result.ok ? { status: 'done', report: result.value } : { status: 'failed', error: result.error } } }));
    get().changed();
    return result;
  },
  refreshAll: async () => {
    const ids = get().connections.filter((c) => c.kind !== 'imap').map((c) => c.id);
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

/** The capabilities of a connection: probed ones when the services offer them, else what its platform kind implies. */
export function capabilitiesOf(connection: ConnectionSummary | undefined): Capabilities | null {
  if (!connection) return null;
  return useInventory.getState().capabilities[connection.id] ?? assumedCapabilities(connection.kind);
}

/** Connections that hold provisionable inventory (not IMAP-only). */
export function provisioningConnections(connections: readonly ConnectionSummary[]): ConnectionSummary[] {
  return connections.filter((c) => c.kind !== 'imap');
}
