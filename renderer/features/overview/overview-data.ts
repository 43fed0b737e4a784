import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/domain/audit.ts';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { CheckRunSummary } from '../../../shared/domain/dns.ts';
import type { MigrationBatchSummary } from '../../../shared/domain/migration.ts';
import type { StandardEvaluation } from '../../../shared/domain/standards.ts';
import type { StorageSummary } from '../../../shared/domain/storage.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { followConnections, useConnections } from '../../state/connections-store.ts';
import { useInventory } from '../../state/inventory-store.ts';
import { batchCustomers, customerFigures, type CustomerFigures, type RunningBatch } from './customer-overview.ts';

/** One connection's line of the overview: what it holds and how its last test went. */
export interface PlatformCount {
  readonly connection: ConnectionSummary;
  readonly domains: number;
  readonly mailboxes: number;
}

/** Everything the overview shows. */
export interface OverviewData {
  readonly connections: readonly ConnectionSummary[];
  readonly platforms: readonly PlatformCount[];
  readonly activity: readonly AuditEntry[];
  readonly activityTotal: number;
  /** The latest deliverability run of every checked domain; null when it could not be read. */
  readonly checks: readonly CheckRunSummary[] | null;
  /** Batches still under way (running, pausing, paused or interrupted); null when they could not be read. */
  readonly migrations: readonly MigrationBatchSummary[] | null;
  /** Counts, storage, health, drift and running migrations per MSP customer. */
  readonly customers: readonly CustomerFigures[];
  /** The latest evaluation of every stored standard; null when the standards could not be read. */
  readonly evaluations: readonly StandardEvaluation[] | null;
}

const UNDER_WAY: ReadonlySet<MigrationBatchSummary['status']> = new Set(['running', 'pausing', 'paused', 'interrupted']);

/** Loads and follows the overview: connections and cached counts, recent journal entries, deliverability and migrations. */
export function useOverviewData(): { readonly data: OverviewData | null; readonly error: AppError | null } {
  const connections = useConnections();
  const domains = useInventory((s) => s.domains);
  const [activity, setActivity] = useState<{ readonly entries: readonly AuditEntry[]; readonly total: number } | null>(null);
  const [activityError, setActivityError] = useState<AppError | null>(null);
  const [checks, setChecks] = useState<readonly CheckRunSummary[] | null>(null);
  const [migrations, setMigrations] = useState<readonly RunningBatch[] | null>(null);
  const [storage, setStorage] = useState<StorageSummary | null>(null);
  const [evaluations, setEvaluations] = useState<readonly StandardEvaluation[] | null>(null);
  useEffect(() => {
    let live = true;
    const loadActivity = async () => {
      const result = await api.audit.list({ limit: 6 });
      if (!live) return;
      if (result.ok) setActivity(result.value);
      setActivityError(result.ok ? null : result.error);
    };
    const loadMigrations = async () => {
      const result = await api.migration.listBatches();
      if (!result.ok) return live && setMigrations(null);
      // Few batches run at once; each one's plan says which connections, and so which customers, it moves.
      const running = await Promise.all(
        result.value.filter((b) => UNDER_WAY.has(b.status)).map(async (batch) => {
          const plan = await api.migration.getPlan(batch.planId);
          const ids = plan.ok ? plan.value.rows.flatMap((r) => [r.sourceConnectionId, r.targetConnectionId]) : [];
          return { batch, customers: batchCustomers(ids, useConnections.getState().items) };
        }),
      );
      if (live) setMigrations(running);
    };
    const loadStorage = async () => {
      const result = await api.storage.summary();
      if (live) setStorage(result.ok ? result.value : null);
    };
    const loadDrift = async () => {
      const standards = await api.standards.list({});
      if (!standards.ok) return live && setEvaluations(null);
      const latest = await Promise.all(standards.value.map((s) => api.standards.latest(s.name, {})));
      if (live) setEvaluations(latest.some((r) => !r.ok) ? null : latest.flatMap((r) => (r.ok && r.value ? [r.value] : [])));
    };
    void useInventory.getState().load();
    void loadActivity();
    void loadMigrations();
    void loadStorage();
    void loadDrift();
    void api.dns.domains().then((r) => live && setChecks(r.ok ? r.value : null));
    const offs = [
      followConnections(),
      api.on('connections.changed', () => {
        void loadActivity();
        void loadStorage();
        void loadMigrations();
      }),
      // An accepted deviation and a refresh are journaled: drift and storage may have moved with them.
      api.on('audit.appended', () => {
        void loadActivity();
        void loadStorage();
        void loadDrift();
      }),
      api.on('migration.batchChanged', () => void loadMigrations()),
      api.on('dns.findingsChanged', () => void api.dns.domains().then((r) => live && r.ok && setChecks(r.value))),
    ];
    return () => {
      live = false;
      offs.forEach((off) => off());
    };
  }, []);
  const error = (connections.loaded ? connections.loadError : null) ?? activityError;
  if (!connections.loaded || !activity) return { data: null, error };
  const platforms = connections.items.map((connection) => {
    const own = domains.filter((d) => d.connectionId === connection.id);
    return { connection, domains: own.length, mailboxes: own.reduce((n, d) => n + (d.mailboxCount ?? 0), 0) };
  });
  const customers = customerFigures({ connections: connections.items, domains, storage, evaluations, checks, migrations });
  const batches = migrations ? migrations.map((m) => m.batch) : null;
  return { data: { connections: connections.items, platforms, activity: activity.entries, activityTotal: activity.total, checks, migrations: batches, customers, evaluations }, error };
}
