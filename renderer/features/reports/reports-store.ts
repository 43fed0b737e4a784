import { create } from 'zustand';
import type { DmarcVerdict, ReportDay, ReverseName, TlsFailureRow } from '../../../shared/domain/reports-insights.ts';
import type { MailboxIngestRequest, MailboxIngestResult } from '../../../shared/domain/reports-mailbox.ts';
import type { IngestResult, ReportsSummary, ReportSource } from '../../../shared/domain/reports.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { customerOfDomain, reportCustomer, sumDays } from './reports-model.ts';
import { readReportFiles } from './report-files.ts';

/** How far back the views look. */
export type Period = 'all' | '7' | '30' | '90' | '365';

/** A saved IMAP connection a reports mailbox can be read from. */
export interface MailboxConnection {
  readonly id: string;
  readonly name: string;
}

interface Scope {
  /** '' for every customer. */
  readonly customer: string;
  /** '' for every domain of the customer filter. */
  readonly domain: string;
  readonly period: Period;
}

interface ReportsState extends Scope {
  readonly loaded: boolean;
  readonly error: AppError | null;
  readonly summary: ReportsSummary | null;
  /** Cached domain → its connection's MSP customer ("unassigned" for none). */
  readonly customers: ReadonlyMap<string, string>;
  readonly mailboxes: readonly MailboxConnection[];
  readonly days: readonly ReportDay[];
  readonly sources: readonly ReportSource[];
  readonly names: Readonly<Record<string, ReverseName>>;
  readonly tls: readonly TlsFailureRow[];
  readonly verdict: DmarcVerdict | null;
  readonly viewError: AppError | null;
  readonly files: { readonly done: number; readonly total: number } | null;
  readonly filesResult: IngestResult | null;
  readonly mailboxRun: { readonly runId: string; readonly connection: string; readonly done: number; readonly total: number } | null;
  readonly mailboxResult: MailboxIngestResult | null;
  readonly mailboxError: AppError | null;
  readonly mailboxCancelled: { readonly done: number; readonly total: number } | null;
  load(): Promise<void>;
  setScope(scope: Partial<Scope>): Promise<void>;
  ingestFiles(files: readonly File[]): Promise<void>;
  readMailbox(request: MailboxIngestRequest): Promise<void>;
  cancelMailbox(): Promise<void>;
}

/** The report domains inside the customer filter. */
export function domainsInScope(summary: ReportsSummary | null, customers: ReadonlyMap<string, string>, customer: string): ReportsSummary['domains'] {
  return (summary?.domains ?? []).filter((d) => customer === '' || reportCustomer(customers, d.domain) === customer);
}

const sinceOf = (period: Period): string | undefined => (period === 'all' ? undefined : new Date(Date.now() - Number(period) * 86_400_000).toISOString());
const PTR_CHUNK = 200;
const DAYS_PARALLEL = 8;
let runCounter = 0;
let viewCounter = 0;

/** The Reports page: stored totals, the chosen scope's charts, sources, TLS failures and verdict, and the ingest runs. */
export const useReports = create<ReportsState>()((set, get) => {
  /** Loads what the scope shows; a newer call wins over a slower older one. */
  const loadViews = async (): Promise<void> => {
    const view = ++viewCounter;
    const { customer, domain, period } = get();
    const since = sinceOf(period);
    const range = since ? { since } : {};
    const inScope = domainsInScope(get().summary, get().customers, customer).map((d) => d.domain);
    const current = () => view === viewCounter;
    set({ viewError: null, ...(domain === '' ? { sources: [], verdict: null } : {}) });
    if (domain !== '') {
      const [days, sources, tls, verdict] = await Promise.all([api.reports.days({ domain, ...range }), api.reports.sources({ domain, ...range }), api.reports.tlsFailures({ domain, ...range }), api.reports.verdict({ domain })]);
      if (!current()) return;
      const failed = [days, sources, tls, verdict].find((r) => !r.ok);
      if (failed && !failed.ok) return set({ viewError: failed.error });
      if (days.ok && sources.ok && tls.ok && verdict.ok) set({ days: days.value, sources: sources.value, tls: tls.value, verdict: verdict.value });
      if (sources.ok) await loadNames(sources.value.map((s) => s.sourceIp), current);
      return;
    }
    const tls = await api.reports.tlsFailures(range);
    const perDomain: Awaited<ReturnType<typeof api.reports.days>>[] = [];
    // A few calls at a time: a customer may have hundreds of domains, and each call is a request on the loopback transport.
    for (let i = 0; i < inScope.length && current(); i += DAYS_PARALLEL) {
      perDomain.push(...(await Promise.all(inScope.slice(i, i + DAYS_PARALLEL).map((d) => api.reports.days({ domain: d, ...range })))));
    }
    if (!current()) return;
    const failed = [tls, ...perDomain].find((r) => !r.ok);
    if (failed && !failed.ok) return set({ viewError: failed.error });
    const scoped = new Set(inScope);
    set({
      days: sumDays(perDomain.map((r) => (r.ok ? r.value : []))),
      tls: tls.ok ? tls.value.filter((t) => customer === '' || scoped.has(t.policyDomain)) : [],
    });
  };

  /** Asks for the PTR names of sources not yet known, busiest first, a chunk at a time so the table fills as answers come. */
  const loadNames = async (ips: readonly string[], current: () => boolean): Promise<void> => {
    const missing = ips.filter((ip) => !get().names[ip]);
    for (let i = 0; i < missing.length && current(); i += PTR_CHUNK) {
      const answer = await api.reports.reverseDns({ ips: missing.slice(i, i + PTR_CHUNK) });
      if (!answer.ok) return;
      set({ names: { ...get().names, ...Object.fromEntries(answer.value.map((n) => [n.ip, n])) } });
    }
  };

  return {
    customer: '',
    domain: '',
    period: 'all',
    loaded: false,
    error: null,
    summary: null,
    customers: new Map(),
    mailboxes: [],
    days: [],
    sources: [],
    names: {},
    tls: [],
    verdict: null,
    viewError: null,
    files: null,
    filesResult: null,
    mailboxRun: null,
    mailboxResult: null,
    mailboxError: null,
    mailboxCancelled: null,
    load: async () => {
      const since = sinceOf(get().period);
      const [summary, connections, domains] = await Promise.all([api.reports.summary(since ? { since } : {}), api.connections.list(), api.domains.list({})]);
      if (!summary.ok) return set({ error: summary.error, loaded: true });
      const customers = connections.ok && domains.ok ? customerOfDomain(connections.value, domains.value) : new Map<string, string>();
      const mailboxes = connections.ok ? connections.value.filter((c) => c.kind === 'imap').map((c) => ({ id: c.id, name: c.name })) : [];
      const { domain, customer } = get();
      const inScope = domainsInScope(summary.value, customers, customer);
      // The only domain is the one to show; a domain that has gone from the scope is dropped.
      const chosen = inScope.some((d) => d.domain === domain) ? domain : inScope.length === 1 ? inScope[0]!.domain : '';
      set({ summary: summary.value, customers, mailboxes, error: null, loaded: true, domain: chosen });
      await loadViews();
    },
    setScope: async (scope) => {
      const periodChanged = scope.period !== undefined && scope.period !== get().period;
      set({ ...scope, ...(scope.customer !== undefined && scope.domain === undefined ? { domain: '' } : {}) });
      if (periodChanged) await get().load();
      else await loadViews();
    },
    ingestFiles: async (files) => {
      if (get().files) return;
      set({ files: { done: 0, total: files.length }, filesResult: null });
      const total = { stored: { aggregate: 0, tls: 0, failure: 0 }, duplicates: 0, errors: [] as IngestResult['errors'][number][], sources: 0 };
      await readReportFiles(files, async (batch, refused) => {
        total.errors.push(...refused);
        total.sources += refused.length;
        if (batch.length > 0) {
          const result = await api.reports.ingest(batch, {});
          if (result.ok) {
            for (const kind of ['aggregate', 'tls', 'failure'] as const) total.stored[kind] += result.value.stored[kind];
            total.duplicates += result.value.duplicates;
            total.errors.push(...result.value.errors);
            total.sources += result.value.sources;
          } else total.errors.push(...batch.map((b) => ({ source: b.name, reason: result.error.message })));
        }
        set({ files: { done: total.sources, total: files.length } });
      });
      set({ files: null, filesResult: total });
      await get().load();
    },
    readMailbox: async (request) => {
      if (get().mailboxRun) return;
      const runId = `ui-reports-${Date.now().toString(36)}-${++runCounter}`;
      set({ mailboxRun: { runId, connection: request.connection, done: 0, total: 0 }, mailboxResult: null, mailboxError: null, mailboxCancelled: null });
      const off = api.on('reports.ingestProgress', (p) => {
        const run = get().mailboxRun;
        if (run?.runId === runId && p.connection === run.connection) set({ mailboxRun: { ...run, done: p.done, total: p.total } });
      });
      const result = await api.reports.ingestMailbox({ ...request, runId });
      off();
      if (result.ok) set({ mailboxRun: null, mailboxResult: result.value });
      else if (result.error.code === 'cancelled') {
        const detail = result.error.detail as { done?: number; total?: number } | undefined;
        set({ mailboxRun: null, mailboxCancelled: { done: detail?.done ?? 0, total: detail?.total ?? 0 } });
      } else set({ mailboxRun: null, mailboxError: result.error });
      await get().load();
    },
    cancelMailbox: async () => {
      const run = get().mailboxRun;
      if (run) await api.reports.cancelIngest(run.runId);
    },
  };
});
