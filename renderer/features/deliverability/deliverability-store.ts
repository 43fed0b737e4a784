import { create } from 'zustand';
import type { CheckRunSummary, DomainProfile, DomainReport, GeneratedRecords, RecordPlan, Severity } from '../../../shared/domain/dns.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';

/** Sort keys of the domain table. */
export type SortKey = 'domain' | 'score' | 'critical' | 'error' | 'warning';

interface DeliverabilityState {
  readonly reports: readonly DomainReport[];
  readonly running: boolean;
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly error: AppError | null;
  readonly selected: string | null;
  readonly history: readonly CheckRunSummary[];
  readonly sort: { readonly key: SortKey; readonly descending: boolean };
  readonly filter: string;
  readonly minSeverity: Severity | 'all';
  readonly records: GeneratedRecords | null;
  readonly recordsError: AppError | null;
  readonly generating: boolean;
  check(domains: readonly string[], profile: DomainProfile, dkimSelectors: readonly string[]): Promise<void>;
  /** Stops waiting for a running check; the results that arrive later are dropped. */
  cancel(): void;
  select(domain: string | null): Promise<void>;
  setSort(key: SortKey): void;
  setFilter(filter: string): void;
  setMinSeverity(severity: Severity | 'all'): void;
  generate(plan: RecordPlan): Promise<void>;
}

let generation = 0;

/** Counts findings of one severity. */
export function countOf(report: DomainReport, severity: Severity): number {
  return report.findings.filter((f) => f.severity === severity).length;
}

/** Domains from pasted text or a CSV file: the first column of each line; comments and a header are skipped. */
export function parseDomainList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((l) => l.split(/[,;\t ]/)[0]!.trim().toLowerCase())
        .filter((d, i) => d !== '' && !d.startsWith('#') && !(i === 0 && /^domains?$/.test(d))),
    ),
  ];
}

/** Check results of this session, the selected domain's history and the record generator. */
export const useDeliverability = create<DeliverabilityState>()((set, get) => ({
  reports: [],
  running: false,
  progress: null,
  error: null,
  selected: null,
  history: [],
  sort: { key: 'score', descending: false },
  filter: '',
  minSeverity: 'all',
  records: null,
  recordsError: null,
  generating: false,
  check: async (domains, profile, dkimSelectors) => {
    const mine = ++generation;
    set({ running: true, progress: { done: 0, total: domains.length }, error: null });
    const off = api.on('dns.checkProgress', (p) => {
      if (mine === generation) set({ progress: { done: p.done, total: p.total } });
    });
    const result = await api.dns.check({ domains: [...domains], profile, dkimSelectors: [...dkimSelectors] });
    off();
    if (mine !== generation) return;
    if (result.ok) {
      const fresh = new Map(result.value.map((r) => [r.domain, r]));
      set({ reports: [...get().reports.filter((r) => !fresh.has(r.domain)), ...result.value], running: false, progress: null });
    } else set({ running: false, progress: null, error: result.error });
  },
  cancel: () => {
    generation++;
    set({ running: false, progress: null });
  },
  select: async (domain) => {
    set({ selected: domain, history: [] });
    if (!domain) return;
    const result = await api.dns.history(domain, 200);
    if (result.ok && get().selected === domain) set({ history: result.value });
  },
  setSort: (key) => {
    const { sort } = get();
    set({ sort: { key, descending: sort.key === key ? !sort.descending : key !== 'domain' && key !== 'score' } });
  },
  setFilter: (filter) => set({ filter }),
  setMinSeverity: (minSeverity) => set({ minSeverity }),
  generate: async (plan) => {
    set({ generating: true, recordsError: null });
    const result = await api.dns.generateRecords(plan);
    set(result.ok ? { generating: false, records: result.value } : { generating: false, recordsError: result.error });
  },
}));

/** The table rows after filter and sort. */
export function visibleReports(state: Pick<DeliverabilityState, 'reports' | 'sort' | 'filter' | 'minSeverity'>): DomainReport[] {
  const order: Severity[] = ['critical', 'error', 'warning', 'info'];
  const wanted = state.minSeverity === 'all' ? null : order.slice(0, order.indexOf(state.minSeverity) + 1);
  const rows = state.reports.filter((r) => r.domain.includes(state.filter.trim().toLowerCase()) && (!wanted || r.findings.some((f) => wanted.includes(f.severity))));
  const key = (r: DomainReport): number | string => (state.sort.key === 'domain' ? r.domain : state.sort.key === 'score' ? r.score : countOf(r, state.sort.key));
  return rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y);
    return state.sort.descending ? -c : c;
  });
}
