import { create } from 'zustand';
import type { Capabilities } from '../../shared/domain/provisioning.ts';
import { api } from '../api/client.ts';

interface CapabilitiesState {
  /** What the services answered for `connections.capabilities(id)`, per connection id. */
  readonly byConnection: Readonly<Record<string, Capabilities>>;
  /** Fetches the capabilities of the connections not cached yet; a failed fetch is retried on the next call. */
  ensure(connectionIds: readonly string[]): Promise<void>;
  /** Stores capabilities the services returned another way (a connection test's probe). */
  put(connectionId: string, capabilities: Capabilities): void;
  /** Drops a removed connection's entry. */
  forget(connectionId: string): void;
}

// Ids with a fetch under way, so two views asking at once send one request.
const inFlight = new Set<string>();

/** The capability flags of each connection, as the services report them: the only source the console greys actions by. */
export const useCapabilities = create<CapabilitiesState>()((set, get) => ({
  byConnection: {},
  ensure: async (connectionIds) => {
    const missing = [...new Set(connectionIds)].filter((id) => !get().byConnection[id] && !inFlight.has(id));
    missing.forEach((id) => inFlight.add(id));
    const fetched = await Promise.all(missing.map(async (id) => [id, await api.connections.capabilities(id)] as const));
    missing.forEach((id) => inFlight.delete(id));
    const found = fetched.flatMap(([id, r]) => (r.ok ? [[id, r.value] as const] : []));
    if (found.length) set((s) => ({ byConnection: { ...s.byConnection, ...Object.fromEntries(found) } }));
  },
  put: (connectionId, capabilities) => set((s) => ({ byConnection: { ...s.byConnection, [connectionId]: capabilities } })),
  forget: (connectionId) => {
    const { [connectionId]: _dropped, ...rest } = get().byConnection;
    set({ byConnection: rest });
  },
}));

/** A lookup of fetched capabilities by connection id (null while unknown) that re-renders its component when a fetch lands. */
export function useCapabilityLookup(): (connectionId: string | undefined) => Capabilities | null {
  const byConnection = useCapabilities((s) => s.byConnection);
  return (connectionId) => (connectionId === undefined ? null : (byConnection[connectionId] ?? null));
}
