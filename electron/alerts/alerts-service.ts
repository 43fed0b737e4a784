import type { Alert, AlertDelivery, AlertDestination, AlertEvaluation, AlertFilter, AlertTransition } from '../../shared/domain/alerts.ts';
import { ok, type Result } from '../../shared/errors/result.ts';
import type { AuditRecorder } from '../audit/audit-recorder.ts';
import type { AlertsRepo } from '../db/alerts-repo.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { AlertEngine, type AlertChange } from './alert-engine.ts';
import type { AlertDestinations } from './alert-destinations.ts';
import { deliver, type DeliveryDeps } from './alert-delivery.ts';
import type { AlertMessage } from './alert-payloads.ts';

/** Wiring of the alerts service. */
export interface AlertsServiceDeps {
  readonly repo: AlertsRepo;
  readonly destinations: AlertDestinations;
  readonly delivery: Omit<DeliveryDeps, 'url'>;
  readonly recorder: AuditRecorder;
  readonly operator: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Alerts: evaluations in, raised and resolved alerts out, each journaled (so it is on the Activity page) and sent to every awake destination. */
export class AlertsService {
  private readonly deps: AlertsServiceDeps;
  private readonly engine: AlertEngine;

  constructor(deps: AlertsServiceDeps) {
    this.deps = deps;
    this.engine = new AlertEngine(deps.repo);
  }

  /** Records one evaluation of a source; every alert it raises or resolves is journaled and delivered. */
  async observe(evaluation: AlertEvaluation): Promise<AlertTransition[]> {
    const changes = this.engine.observe(evaluation);
    for (const change of changes) await this.announce(change);
    return changes.map(({ rule, target, state }) => ({ rule, target, state }));
  }

  /** When a source was last evaluated (persisted), so a restart keeps the schedule. */
  lastEvaluatedAt(source: string): Date | null {
    return this.deps.repo.lastEvaluatedAt(source);
  }

  /** Alerts newest first, by state and customer. */
  list(filter: AlertFilter = {}): Result<Alert[]> {
    return ok(this.deps.repo.list(filter));
  }

  /** Sends a test alert to one destination (snoozed or not: the button is there to prove the path works). */
  async test(idOrName: string): Promise<Result<AlertDelivery>> {
    const found = this.deps.destinations.get(idOrName);
    if (!found.ok) return found;
    const now = this.deps.clock.now().toISOString();
    const alert: Alert = { id: 0, source: 'mailroom:test', rule: 'mailroom.test', target: found.value.name, customer: null, expected: 'This destination receives Mailroom alerts.', current: 'Test sent from Mailroom; no action is needed.', state: 'raised', raisedAt: now, resolvedAt: null };
    return ok(await this.send(found.value, { event: 'test', alert, sentAt: now }));
  }

  private async announce(change: AlertChange): Promise<void> {
    const message: AlertMessage = { event: change.state, alert: change.alert, sentAt: this.deps.clock.now().toISOString() };
    const deliveries = await Promise.all(
      this.deps.destinations.list().map((d): Promise<AlertDelivery> | AlertDelivery =>
        this.deps.destinations.snoozed(d) ? { destination: d.name, kind: d.kind, outcome: 'skipped', detail: `Snoozed until ${d.snoozedUntil}.` } : this.send(d, message),
      ),
    );
    for (const d of deliveries) if (d.outcome === 'failed') this.deps.logger.warn('alert not delivered', { destination: d.destination, kind: d.kind, detail: d.detail });
    const a = change.alert;
    await this.deps.recorder.record(this.deps.operator, `alerts.${change.state}`, { object: `${a.rule} ${a.target}`, after: { source: a.source, rule: a.rule, target: a.target, customer: a.customer, expected: a.expected, current: a.current, deliveries } }, ok(null));
  }

  private send(d: AlertDestination, message: AlertMessage): Promise<AlertDelivery> {
    return deliver({ ...this.deps.delivery, url: (id) => this.deps.destinations.url(id) }, d, message);
  }
}
