import type { Alert, AlertCandidate, AlertDestination, AlertDestinationKind, AlertFilter } from '../../shared/domain/alerts.ts';
import type { Db } from './database.ts';

/** A candidate's run of consecutive evaluations. */
export interface StreakRow {
  readonly rule: string;
  readonly target: string;
  readonly streak: number;
  readonly seenEval: number;
}

interface AlertRow {
  id: number;
  source: string;
  rule: string;
  target: string;
  customer: string | null;
  expected: string;
  current: string;
  raised_at: number;
  resolved_at: number | null;
}

interface DestinationRow {
  id: string;
  name: string;
  kind: AlertDestinationKind;
  recipient: string | null;
  url_origin: string | null;
  snoozed_until: number | null;
  created_at: number;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  source: r.source,
  rule: r.rule,
  target: r.target,
  customer: r.customer,
  expected: r.expected,
  current: r.current,
  state: r.resolved_at === null ? 'raised' : 'resolved',
  raisedAt: iso(r.raised_at)!,
  resolvedAt: iso(r.resolved_at),
});

const toDestination = (r: DestinationRow): AlertDestination => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  to: r.recipient,
  urlOrigin: r.url_origin,
  snoozedUntil: iso(r.snoozed_until),
  createdAt: iso(r.created_at)!,
});

/** Alert state in the cache: evaluation counters, streaks, alerts and destinations (never a webhook URL). */
export class AlertsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Runs `fn` in one transaction, so an evaluation is recorded whole or not at all. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Counts one more evaluation of `source` and returns its number (1 for the first). */
  nextEvaluation(source: string, at: Date): number {
    const row = this.db
      .prepare('INSERT INTO alert_sources (source, evaluations, last_at) VALUES (?, 1, ?) ON CONFLICT (source) DO UPDATE SET evaluations = evaluations + 1, last_at = excluded.last_at RETURNING evaluations')
      .get(source, at.getTime()) as { evaluations: number };
    return row.evaluations;
  }

  /** When a source was last evaluated, or null. */
  lastEvaluatedAt(source: string): Date | null {
    const row = this.db.prepare('SELECT last_at FROM alert_sources WHERE source = ?').get(source) as { last_at: number } | undefined;
    return row ? new Date(row.last_at) : null;
  }

  /** Every streak of a source. */
  streaks(source: string): StreakRow[] {
    return this.db.prepare('SELECT rule, target, streak, seen_eval AS seenEval FROM alert_streaks WHERE source = ?').all(source) as StreakRow[];
  }

  /** Replaces a source's streaks with `rows`. */
  replaceStreaks(source: string, rows: readonly StreakRow[]): void {
    this.db.prepare('DELETE FROM alert_streaks WHERE source = ?').run(source);
    const insert = this.db.prepare('INSERT INTO alert_streaks (source, rule, target, streak, seen_eval) VALUES (?, ?, ?, ?, ?)');
    for (const r of rows) insert.run(source, r.rule, r.target, r.streak, r.seenEval);
  }

  /** The open alerts of a source. */
  openAlerts(source: string): Alert[] {
    return (this.db.prepare('SELECT * FROM alerts WHERE source = ? AND resolved_at IS NULL').all(source) as AlertRow[]).map(toAlert);
  }

  /** Records a raised alert. */
  raise(source: string, c: AlertCandidate, at: Date): Alert {
    const row = this.db
      .prepare('INSERT INTO alerts (source, rule, target, customer, expected, current, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *')
      .get(source, c.rule, c.target, c.customer ?? null, c.expected, c.current, at.getTime()) as AlertRow;
    return toAlert(row);
  }

  /** Marks an open alert resolved. */
  resolve(id: number, at: Date): Alert {
    return toAlert(this.db.prepare('UPDATE alerts SET resolved_at = ? WHERE id = ? RETURNING *').get(at.getTime(), id) as AlertRow);
  }

  /** Alerts newest first, filtered by state and customer. */
  list(filter: AlertFilter = {}, limit = 1000): Alert[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.state === 'raised') where.push('resolved_at IS NULL');
    if (filter.state === 'resolved') where.push('resolved_at IS NOT NULL');
    if (filter.customer !== undefined) {
      where.push('customer = ?');
      params.push(filter.customer);
    }
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY COALESCE(resolved_at, raised_at) DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, limit) as AlertRow[]).map(toAlert);
  }

  /** Every destination, by name. */
  destinations(): AlertDestination[] {
    return (this.db.prepare('SELECT * FROM alert_destinations ORDER BY name').all() as DestinationRow[]).map(toDestination);
  }

  /** One destination by id or name, or null. */
  destination(idOrName: string): AlertDestination | null {
    const row = this.db.prepare('SELECT * FROM alert_destinations WHERE id = ? OR name = ?').get(idOrName, idOrName) as DestinationRow | undefined;
    return row ? toDestination(row) : null;
  }

  /** Stores a new destination. */
  insertDestination(d: Omit<AlertDestination, 'snoozedUntil'>): void {
    this.db
      .prepare('INSERT INTO alert_destinations (id, name, kind, recipient, url_origin, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(d.id, d.name, d.kind, d.to, d.urlOrigin, Date.parse(d.createdAt));
  }

  /** Changes a destination's name, recipient, URL origin or snooze. */
  updateDestination(id: string, d: Pick<AlertDestination, 'name' | 'to' | 'urlOrigin' | 'snoozedUntil'>): void {
    this.db
      .prepare('UPDATE alert_destinations SET name = ?, recipient = ?, url_origin = ?, snoozed_until = ? WHERE id = ?')
      .run(d.name, d.to, d.urlOrigin, d.snoozedUntil === null ? null : Date.parse(d.snoozedUntil), id);
  }

  /** Deletes a destination; true when one was there. */
  removeDestination(id: string): boolean {
    return this.db.prepare('DELETE FROM alert_destinations WHERE id = ?').run(id).changes > 0;
  }
}
