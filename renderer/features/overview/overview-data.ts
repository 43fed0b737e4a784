import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/domain/audit.ts';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { CheckRunSummary } from '../../../shared/domain/dns.ts';
import type { MigrationBatchSummary } from '../../../shared/domain/migration.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { followConnections, useConnections } from '../../state/connections-store.ts';
import { useInventory } from '../../state/inventory-store.ts';

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
}

const UNDER_WAY: ReadonlySet<MigrationBatchSummary['status']> = new Set(['running', 'pausing', 'paused', 'interrupted']);

/** Loads and follows the overview: connections and cached counts, recent journal entries, deliverability and migrations. */
export function useOverviewData(): { readonly data: OverviewData | null; readonly error: AppError | null } {
  const connections = useConnections();
  const domains = useInventory((s) => s.domains);
  const [activity, setActivity] = useState<{ readonly entries: readonly AuditEntry[]; readonly total: number } | null>(null);
  const [activityError, setActivityError] = useState<AppError | null>(null);
  const [checks, setChecks] = useState<readonly CheckRunSummary[] | null>(null);
  const [migrations, setMigrations] = useState<readonly MigrationBatchSummary[] | null>(null);
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
      if (live) setMigrations(result.ok ? result.value.filter((b) => UNDER_WAY.has(b.status)) : null);
    };
    void useInventory.getState().load();
    void loadActivity();
    void loadMigrations();
    void api.dns.domains().then((r) => live && setChecks(r.ok ? r.value : null));
    const offs = [
      followConnections(),
      api.on('connections.changed', () => void loadActivity()),
      api.on('audit.appended', () => void loadActivity()),
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
  return { data: { connections: connections.items, platforms, activity: activity.entries, activityTotal: activity.total, checks, migrations }, error };
}
