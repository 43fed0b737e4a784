import { create } from 'zustand';
import type { ConnectionTestReport } from '../../../shared/domain/connection.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { useCapabilities } from '../../state/capabilities-store.ts';

/** The latest test of one connection in this session. */
export type TestState =
  | { readonly status: 'running' }
  | { readonly status: 'done'; readonly result: Result<ConnectionTestReport> };

interface ConnectionTestsState {
  readonly tests: Readonly<Record<string, TestState>>;
  test(id: string): Promise<Result<ConnectionTestReport>>;
  /** Hides the test result of one connection. */
  clearTest(id: string): void;
}

/** The connection tests run from the Connections page in this session. */
export const useConnectionTests = create<ConnectionTestsState>()((set, get) => ({
  tests: {},
  test: async (id) => {
    set((s) => ({ tests: { ...s.tests, [id]: { status: 'running' } } }));
    const result = await api.connections.test(id);
    set((s) => ({ tests: { ...s.tests, [id]: { status: 'done', result } } }));
    // A platform test re-probes what it can do; the services have cached that, so the console's copy follows.
    if (result.ok && result.value.platform) useCapabilities.getState().put(id, result.value.platform);
    return result;
  },
  clearTest: (id) => {
    const { [id]: _dropped, ...tests } = get().tests;
    set({ tests });
  },
}));
