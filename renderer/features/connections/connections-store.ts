import { create } from 'zustand';
import type {
  ConnectionSummary,
  ConnectionTestReport,
  NewGoogleConnection,
  NewImapConnection,
  NewMailcowConnection,
  NewMicrosoftConnection,
  NewPostfixAdminConnection,
  NewStalwartConnection,
} from '../../../shared/domain/connection.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';

/** What the add form submits: the platform and its `connections.addX` input. */
export type NewConnectionRequest =
  | { readonly kind: 'imap'; readonly input: NewImapConnection }
  | { readonly kind: 'postfixadmin'; readonly input: NewPostfixAdminConnection }
  | { readonly kind: 'mailcow'; readonly input: NewMailcowConnection }
  | { readonly kind: 'stalwart'; readonly input: NewStalwartConnection }
  | { readonly kind: 'google'; readonly input: NewGoogleConnection }
  | { readonly kind: 'microsoft'; readonly input: NewMicrosoftConnection };

function addByKind(request: NewConnectionRequest): Promise<Result<ConnectionSummary>> {
  switch (request.kind) {
    case 'imap':
      return api.connections.addImap(request.input);
    case 'postfixadmin':
      return api.connections.addPostfixAdmin(request.input);
    case 'mailcow':
      return api.connections.addMailcow(request.input);
    case 'stalwart':
      return api.connections.addStalwart(request.input);
    case 'google':
      return api.connections.addGoogle(request.input);
    case 'microsoft':
      return api.connections.addMicrosoft(request.input);
  }
}

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
  /** Adds a connection of any platform; the secret only passes through to the api call and is never kept here. */
  add(request: NewConnectionRequest): Promise<Result<ConnectionSummary>>;
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
  add: async (request) => {
    const result = await addByKind(request);
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
