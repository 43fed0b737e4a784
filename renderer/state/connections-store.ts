import { create } from 'zustand';
import type {
  AddConnectionOptions,
  ConnectionEdit,
  ConnectionSummary,
  NewGoogleConnection,
  NewImapConnection,
  NewMailcowConnection,
  NewMicrosoftConnection,
  NewPostfixAdminConnection,
  NewStalwartConnection,
} from '../../shared/domain/connection.ts';
import type { AppError, Result } from '../../shared/errors/result.ts';
import { api } from '../api/client.ts';
import { sortNatural } from '../lib/natural-sort.ts';
import { useCapabilities } from './capabilities-store.ts';

/** What the add form submits: the platform and its `connections.addX` input. */
export type NewConnectionRequest =
  | { readonly kind: 'imap'; readonly input: NewImapConnection }
  | { readonly kind: 'postfixadmin'; readonly input: NewPostfixAdminConnection }
  | { readonly kind: 'mailcow'; readonly input: NewMailcowConnection }
  | { readonly kind: 'stalwart'; readonly input: NewStalwartConnection }
  | { readonly kind: 'google'; readonly input: NewGoogleConnection }
  | { readonly kind: 'microsoft'; readonly input: NewMicrosoftConnection };

function addByKind(request: NewConnectionRequest, options: AddConnectionOptions): Promise<Result<ConnectionSummary>> {
  switch (request.kind) {
    case 'imap':
      return api.connections.addImap(request.input, options);
    case 'postfixadmin':
      return api.connections.addPostfixAdmin(request.input, options);
    case 'mailcow':
      return api.connections.addMailcow(request.input, options);
    case 'stalwart':
      return api.connections.addStalwart(request.input, options);
    case 'google':
      return api.connections.addGoogle(request.input, options);
    case 'microsoft':
      return api.connections.addMicrosoft(request.input, options);
  }
}

interface ConnectionsState {
  readonly items: readonly ConnectionSummary[];
  readonly loaded: boolean;
  readonly loadError: AppError | null;
  load(): Promise<void>;
  /** Adds a connection of any platform; the secret only passes through to the api call and is never kept here. */
  add(request: NewConnectionRequest, options?: AddConnectionOptions): Promise<Result<ConnectionSummary>>;
  /** Changes a connection in place (same id); a new secret only passes through to the api call. */
  edit(id: string, edit: ConnectionEdit): Promise<Result<ConnectionSummary>>;
  /** Removes a connection; `force` confirms removing one that is in use. */
  remove(id: string, force?: boolean): Promise<Result<{ readonly id: string }>>;
  /** Applies a 'connections.changed' event. */
  replace(items: readonly ConnectionSummary[]): void;
}

/** The connection list as the services hold it: the one copy every view reads. */
export const useConnections = create<ConnectionsState>()((set, get) => ({
  items: [],
  loaded: false,
  loadError: null,
  load: async () => {
    const result = await api.connections.list();
    if (result.ok) set({ items: sortByName(result.value), loaded: true, loadError: null });
    else set({ loaded: true, loadError: result.error });
  },
  add: async (request, options = {}) => {
    const result = await addByKind(request, options);
    if (result.ok) get().replace([...get().items.filter((c) => c.id !== result.value.id), result.value]);
    return result;
  },
  edit: async (id, edit) => {
    const result = await api.connections.edit(id, edit);
    if (result.ok) {
      useCapabilities.getState().forget(id);
      get().replace(get().items.map((c) => (c.id === id ? result.value : c)));
    }
    return result;
  },
  remove: async (id, force = false) => {
    const result = await api.connections.remove(id, force ? { force: true } : {});
    if (result.ok) {
      useCapabilities.getState().forget(id);
      set({ items: get().items.filter((c) => c.id !== id) });
    }
    return result;
  },
  replace: (items) => set({ items: sortByName(items), loaded: true, loadError: null }),
}));

/** Subscribes the store to live changes; returns the unsubscribe function. */
export function followConnections(): () => void {
  return api.on('connections.changed', (items) => useConnections.getState().replace(items));
}

function sortByName(items: readonly ConnectionSummary[]): ConnectionSummary[] {
  return sortNatural(items, (c) => c.name);
}
