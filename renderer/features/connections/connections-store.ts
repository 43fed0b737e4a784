import { create } from 'zustand';
import type { ConnectionSummary, ConnectionTestReport, NewImapConnection } from '../../../shared/domain/connection.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';

/** The latest test of one connection in this session. */
export type TestState =
  | { readonly status: 'running' }
  | { readonly status: 'done'; readonly result: Result<ConnectionTestReport> };

interface ConnectionsState {
  readonly items: readonly ConnectionSummary[];
  readonly loaded: boolean;
  readonly loadError: AppError | null;
  readonly tests: Readonly<Record<string, TestState>>;
  load(): Promise<void>;
  /** Adds a connection; the password only passes through to the api call and is never kept here. */
  add(input: NewImapConnection): Promise<Result<ConnectionSummary>>;
  test(id: string): Promise<Result<ConnectionTestReport>>;
  remove(id: string): Promise<Result<{ readonly id: string }>>;
  /** Hides the test result of one connection. */
  clearTest(id: string): void;
  /** Applies a 'connections.changed' event. */
  replace(items: readonly ConnectionSummary[]): void;
}

/** Connections as listed by the services, plus the test results of this session. */
export const useConnections = create<ConnectionsState>()((set, get) => ({
  items: [],
  loaded: false,
  loadError: null,
  tests: {},
  load: async () => {
    const result = await api.connections.list();
    if (result.ok) set({ items: sortByName(result.value), loaded: true, loadError: null });
    else set({ loaded: true, loadError: result.error });
  },
  add: async (input) => {
    const result = await api.connections.addImap(input);
    if (result.ok) get().replace([...get().items.filter((c) => c.id !== result.value.id), result.value]);
    return result;
  },
  test: async (id) => {
    set((s) => ({ tests: { ...s.tests, [id]: { status: 'running' } } }));
    const result = await api.connections.test(id);
    set((s) => ({ tests: { ...s.tests, [id]: { status: 'done', result } } }));
    return result;
  },
  remove: async (id) => {
    const result = await api.connections.remove(id);
    if (result.ok) {
      get().clearTest(id);
      set({ items: get().items.filter((c) => c.id !== id) });
    }
    return result;
  },
  clearTest: (id) => {
    const { [id]: _dropped, ...tests } = get().tests;
    set({ tests });
  },
  replace: (items) => set({ items: sortByName(items), loaded: true, loadError: null }),
}));

/** Subscribes the store to live changes; returns the unsubscribe function. */
export function followConnections(): () => void {
  return api.on('connections.changed', (items) => useConnections.getState().replace(items));
}

function sortByName(items: readonly ConnectionSummary[]): ConnectionSummary[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}
