import { create } from 'zustand';
import type { AuditEntry, AuditVerification } from '../../../shared/domain/audit.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';

/** Entries fetched per page. */
export const PAGE_SIZE = 50;

interface ActivityState {
  readonly entries: readonly AuditEntry[];
  readonly total: number;
  readonly loaded: boolean;
  readonly loadingMore: boolean;
  readonly error: AppError | null;
  readonly verifying: boolean;
  readonly verification: Result<AuditVerification> | null;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  /** Applies an 'audit.appended' event. */
  prepend(entry: AuditEntry): void;
  verify(): Promise<void>;
}

/** The audit journal as loaded so far, newest first. */
export const useActivity = create<ActivityState>()((set, get) => ({
  entries: [],
  total: 0,
  loaded: false,
  loadingMore: false,
  error: null,
  verifying: false,
  verification: null,
  load: async () => {
    const result = await api.audit.list({ limit: PAGE_SIZE });
    if (result.ok) set({ entries: result.value.entries, total: result.value.total, loaded: true, error: null });
    else set({ loaded: true, error: result.error });
  },
  loadMore: async () => {
    const last = get().entries.at(-1);
    if (!last || get().loadingMore) return;
    set({ loadingMore: true });
    const result = await api.audit.list({ limit: PAGE_SIZE, beforeSeq: last.seq });
    if (result.ok) {
      const known = new Set(get().entries.map((e) => e.seq));
      set({ entries: [...get().entries, ...result.value.entries.filter((e) => !known.has(e.seq))], loadingMore: false, error: null });
    } else {
      set({ loadingMore: false, error: result.error });
    }
  },
  prepend: (entry) => {
    if (get().entries.some((e) => e.seq === entry.seq)) return;
    set({ entries: [entry, ...get().entries].sort((a, b) => b.seq - a.seq), total: get().total + 1 });
  },
  verify: async () => {
    set({ verifying: true });
    const verification = await api.audit.verify();
    set({ verifying: false, verification });
  },
}));

/** Subscribes the store to newly written journal entries; returns the unsubscribe function. */
export function followActivity(): () => void {
  return api.on('audit.appended', (entry) => useActivity.getState().prepend(entry));
}

/** Fetches the whole journal as CSV. */
export function exportActivityCsv(): Promise<Result<string>> {
  return api.audit.exportCsv();
}
