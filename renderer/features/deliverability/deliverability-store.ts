import { create } from 'zustand';
import type { CheckRunSummary, DkimKeyInfo, DomainProfile, DomainReport, GeneratedRecords, MonitoredDomainInfo, RecordPlan, Severity } from '../../../shared/domain/dns.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { readDomain, type DomainEntry } from '../../lib/domain-input.ts';

/** Pasted or loaded domains: those to check, the lines refused and why, and names shown in their xn-- form. */
export interface DomainListParse {
  readonly domains: readonly string[];
  readonly invalid: readonly Extract<DomainEntry, { ok: false }>[];
  readonly converted: readonly Extract<DomainEntry, { ok: true }>[];
}
import { naturalCompare } from '../../lib/natural-sort.ts';

/** Sort keys of the domain table. */
export type SortKey = 'domain' | 'score' | 'critical' | 'error' | 'warning' | 'at';

/** One row of the domain table: the newest stored run of a domain. */
export type DomainRow = CheckRunSummary;

interface RunState {
  readonly id: string;
  readonly done: number;
  readonly total: number;
  readonly current: string | null;
}

interface DeliverabilityState {
  readonly rows: readonly DomainRow[];
  readonly loaded: boolean;
  readonly run: RunState | null;
  readonly error: AppError | null;
  /** Set when the last run was cancelled: how many domains it had checked. */
  readonly cancelled: { readonly checked: number; readonly total: number } | null;
  readonly selected: string | null;
  readonly detail: DomainReport | null;
  readonly detailError: AppError | null;
  readonly history: readonly CheckRunSummary[];
  readonly monitored: readonly MonitoredDomainInfo[];
  readonly sort: { readonly key: SortKey; readonly descending: boolean };
  readonly filter: string;
  readonly minSeverity: Severity | 'all';
  readonly records: GeneratedRecords | null;
  readonly recordsError: AppError | null;
  readonly generating: boolean;
  readonly keys: readonly DkimKeyInfo[];
  load(): Promise<void>;
  check(domains: readonly string[], profile: DomainProfile, dkimSelectors: readonly string[]): Promise<void>;
  /** Asks the service to stop the running check; domains already checked stay in the table. */
  cancel(): Promise<void>;
  select(domain: string | null): Promise<void>;
  setSort(key: SortKey): void;
  setFilter(filter: string): void;
  setMinSeverity(severity: Severity | 'all'): void;
  setMonitored(domain: string, on: boolean): Promise<AppError | null>;
  generate(plan: RecordPlan): Promise<void>;
  generateKey(domain: string, selector: string, algorithm: 'rsa-2048' | 'ed25519'): Promise<AppError | null>;
}

/** Domains from pasted text or a CSV file: the first column of each line; comments and a header are skipped. */
export function parseDomainList(text: string): DomainListParse {
  const entries = text
    .split(/\r?\n/)
    .map((l) => l.split(/[,;\t]/)[0]!.trim().replace(/^"|"$/g, ''))
    .filter((d, i) => d !== '' && !d.startsWith('#') && !(i === 0 && /^domains?$/i.test(d)))
    .map(readDomain);
  const domains = [...new Set(entries.flatMap((e) => (e.ok ? [e.domain] : [])))];
  return {
    domains,
    invalid: entries.filter((e): e is Extract<DomainEntry, { ok: false }> => !e.ok),
    converted: entries.filter((e): e is Extract<DomainEntry, { ok: true }> => e.ok && e.converted),
  };
}

/** A table row built from a fresh report. */
export function rowOf(report: DomainReport, at: string, profile: DomainProfile): DomainRow {
  const counts: Record<Severity, number> = { critical: 0, error: 0, warning: 0, info: 0, unknown: 0 };
  for (const f of report.findings) counts[f.severity]++;
  return { id: 0, domain: report.domain, at, profile, score: report.score, counts };
}

let runCounter = 0;

/** The domain table (newest run per domain), the running check, the selected domain and the record generator. */
export const useDeliverability = create<DeliverabilityState>()((set, get) => ({
  rows: [],
  loaded: false,
  run: null,
  error: null,
  cancelled: null,
  selected: null,
  detail: null,
  detailError: null,
  history: [],
  monitored: [],
  sort: { key: 'score', descending: false },
  filter: '',
  minSeverity: 'all',
  records: null,
  recordsError: null,
  generating: false,
  keys: [],
  load: async () => {
    const [rows, monitored] = await Promise.all([api.dns.domains(), api.dns.monitored()]);
    if (rows.ok) set({ rows: rows.value, loaded: true });
    else set({ error: rows.error, loaded: true });
    if (monitored.ok) set({ monitored: monitored.value });
  },
  check: async (domains, profile, dkimSelectors) => {
    if (get().run) return;
    const id = `ui-${Date.now().toString(36)}-${++runCounter}`;
    set({ run: { id, done: 0, total: domains.length, current: null }, error: null, cancelled: null });
    const off = api.on('dns.checkProgress', (p) => {
      if (p.runId === id && get().run?.id === id) set({ run: { id, done: p.done, total: p.total, current: p.domain } });
    });
    const result = await api.dns.check({ domains: [...domains], profile, dkimSelectors: [...dkimSelectors], runId: id });
    off();
    const at = new Date().toISOString();
    if (result.ok) {
      const fresh = new Map(result.value.map((r) => [r.domain, rowOf(r, at, profile)]));
      const { selected } = get();
      set({ rows: [...get().rows.filter((r) => !fresh.has(r.domain)), ...fresh.values()], run: null });
      const report = result.value.find((r) => r.domain === selected) ?? (result.value.length === 1 ? result.value[0]! : null);
      if (report) await get().select(report.domain);
    } else {
      const detail = result.error.detail as { checked?: number; total?: number } | undefined;
      set({
        run: null,
        ...(result.error.code === 'cancelled' ? { cancelled: { checked: detail?.checked ?? 0, total: detail?.total ?? domains.length } } : { error: result.error }),
      });
      // Domains finished before the cancel are stored; show them.
      const rows = await api.dns.domains();
      if (rows.ok) set({ rows: rows.value });
    }
  },
  cancel: async () => {
    const run = get().run;
    if (run) await api.dns.cancel(run.id);
  },
  select: async (domain) => {
    set({ selected: domain, detailError: null, ...(domain === get().detail?.domain ? {} : { detail: null, history: [] }) });
    if (!domain) return;
    const [latest, history] = await Promise.all([api.dns.latest(domain), api.dns.history(domain, 200)]);
    if (get().selected !== domain) return;
    if (latest.ok) set({ detail: latest.value });
    else set({ detailError: latest.error });
    if (history.ok) set({ history: history.value });
  },
  setSort: (key) => {
    const { sort } = get();
    set({ sort: { key, descending: sort.key === key ? !sort.descending : key !== 'domain' && key !== 'score' } });
  },
  setFilter: (filter) => set({ filter }),
  setMinSeverity: (minSeverity) => set({ minSeverity }),
  setMonitored: async (domain, on) => {
    const row = get().rows.find((r) => r.domain === domain);
    const result = on ? await api.dns.monitor({ domain, ...(row ? { profile: row.profile } : {}) }) : await api.dns.unmonitor(domain);
    if (!result.ok) return result.error;
    const monitored = await api.dns.monitored();
    if (monitored.ok) set({ monitored: monitored.value });
    return null;
  },
  generate: async (plan) => {
    set({ generating: true, recordsError: null });
    const result = await api.dns.generateRecords(plan);
    set(result.ok ? { generating: false, records: result.value } : { generating: false, recordsError: result.error });
  },
  generateKey: async (domain, selector, algorithm) => {
    const result = await api.dns.generateDkimKey({ domain, selector, algorithm });
    if (!result.ok) return result.error;
    set({ keys: [...get().keys.filter((k) => !(k.domain === result.value.domain && k.selector === result.value.selector)), result.value] });
    return null;
  },
}));

/** The table rows after filter and sort. */
export function visibleRows(state: Pick<DeliverabilityState, 'rows' | 'sort' | 'filter' | 'minSeverity'>): DomainRow[] {
  const order: Severity[] = ['critical', 'error', 'warning', 'info'];
  const wanted = state.minSeverity === 'all' ? null : order.slice(0, order.indexOf(state.minSeverity) + 1);
  const text = state.filter.trim().toLowerCase();
  const rows = state.rows.filter((r) => r.domain.includes(text) && (!wanted || wanted.some((s) => r.counts[s] > 0)));
  const { key, descending } = state.sort;
  const value = (r: DomainRow): number | string => (key === 'domain' ? r.domain : key === 'score' ? r.score : key === 'at' ? r.at : r.counts[key]);
  return rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === 'string' ? (key === 'domain' ? naturalCompare(x, String(y)) : x.localeCompare(String(y))) : x - Number(y);
    return (descending ? -c : c) || naturalCompare(a.domain, b.domain);
  });
}

/** The catalogue family of a finding id (`spf.lookup-limit` → `spf`). */
export function familyOf(id: string): string {
  return id.split('.')[0] ?? id;
}

/** Findings grouped by family, families ordered by their worst finding. */
export function groupByFamily(report: DomainReport): { family: string; findings: DomainReport['findings'] }[] {
  const rank: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3, unknown: 4 };
  const groups = new Map<string, DomainReport['findings'][number][]>();
  for (const f of report.findings) groups.set(familyOf(f.id), [...(groups.get(familyOf(f.id)) ?? []), f]);
  return [...groups.entries()]
    .map(([family, findings]) => ({ family, findings: [...findings].sort((a, b) => rank[a.severity] - rank[b.severity]) }))
    .sort((a, b) => rank[a.findings[0]!.severity] - rank[b.findings[0]!.severity] || a.family.localeCompare(b.family));
}
