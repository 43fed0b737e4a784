import type { ConnectionSummary, ConnectionTestReport, NewImapConnection } from '../../shared/domain/connection.ts';
import { channelName, listOperations } from '../../shared/ipc/channels.ts';
import type { Events, WindowApi } from '../../shared/ipc/contract.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';

/** A working in-memory `window.api` for renderer tests: connections, a journal, and events you can emit. */
export interface FakeWindowApi {
  readonly api: WindowApi;
  /** Every call as `<area>.<method>` with its arguments. */
  readonly calls: { channel: string; args: unknown[] }[];
  /** What the next connections.test answers. */
  nextTest: Result<ConnectionTestReport>;
  emit<E extends keyof Events>(event: E, payload: Events[E]): void;
  /** Answers one channel (`<area>.<method>`) with `handler` from now on; calls are still recorded. */
  answer(channel: string, handler: (...args: never[]) => unknown): void;
}

/** A report as Dovecot would give it. */
export const sampleReport: ConnectionTestReport = {
  capabilities: ['IDLE', 'IMAP4rev1', 'MOVE'],
  folderCount: 6,
  latencyMs: 42,
  tls: { protocol: 'TLSv1.3', fingerprint: null },
  serverId: null,
};

/** Builds a fake api holding `initial` connections. */
export function createFakeWindowApi(initial: readonly ConnectionSummary[] = []): FakeWindowApi {
  let connections = [...initial];
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const fake: FakeWindowApi = {
    calls: [],
    nextTest: ok(sampleReport),
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload as never)),
    answer: (channel, handler) => {
      faked[channel] = (...args: never[]) => record(channel, args, handler(...args));
    },
    api: undefined as unknown as WindowApi,
  };
  const record = <T>(channel: string, args: unknown[], value: T): Promise<T> => {
    fake.calls.push({ channel, args });
    return Promise.resolve(value);
  };
  const faked: Record<string, (...args: never[]) => Promise<unknown>> = {
    'app.info': () => record('app.info', [], ok({ version: '0.0.0-test', transport: 'loopback', dataDir: '/tmp/x', operator: 'tester', node: '24', vault: { kind: 'keychain', available: true, message: 'Secrets are kept in the test keychain.' } })),
    'connections.list': () => record('connections.list', [], ok([...connections])),
    'connections.addImap': (input: NewImapConnection) => {
      if (connections.some((c) => c.name === input.name)) return record('connections.addImap', [input], err('conflict', `"${input.name}" exists`));
      const { password: _password, ...settings } = input;
      const summary: ConnectionSummary = { id: `id-${connections.length + 1}`, name: input.name, kind: 'imap', settings, hasSecret: true, createdAt: '2025-01-01T00:00:00Z', lastTest: null };
      connections = [...connections, summary];
      return record('connections.addImap', [input], ok(summary));
    },
    'connections.test': (id: string) => record('connections.test', [id], fake.nextTest),
    'connections.dependents': (id: string) =>
      record('connections.dependents', [id], ok({ connectionId: id, name: id, plans: [], batches: [], dkimKeys: [], monitoredDomains: [], cachedDomains: 0, cachedMailboxes: 0, inUse: false })),
    'connections.remove': (id: string) => {
      connections = connections.filter((c) => c.id !== id);
      return record('connections.remove', [id], ok({ id }));
    },
    'audit.list': (query: unknown) => record('audit.list', [query], ok({ entries: [], total: 0 })),
    'audit.verify': () => record('audit.verify', [], ok({ ok: true, checked: 0, firstProblem: null })),
    'audit.exportCsv': () => record('audit.exportCsv', [], ok('seq,at\n')),
  };
  // Built from the channel list so operations added to the contract later answer "unsupported" instead of breaking the fake.
  const areas: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [area, method] of listOperations()) {
    const channel = channelName(area, method);
    (areas[area] ??= {})[method] = (...args) =>
      faked[channel] ? faked[channel](...(args as never[])) : record(channel, args, err('backend.unsupported', `${channel} is not faked`));
  }
  const on: WindowApi['on'] = (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (payload: never) => void);
    listeners.set(event, set);
    return () => set.delete(listener as (payload: never) => void);
  };
  const api = { ...areas, on } as unknown as WindowApi;
  return Object.assign(fake, { api });
}
