import type { AlertCandidate, AlertEvaluation, AlertTransition } from '../../shared/domain/alerts.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';

/** Finds the current deviations of one source; a throw means "could not evaluate", never "nothing is wrong". `signal` aborts when the monitor stops. */
export type Evaluator = (signal: AbortSignal) => Promise<AlertCandidate[]>;

/** What one evaluation did. */
export interface EvaluationReport {
  readonly source: string;
  readonly at: string;
  readonly candidates: number;
  readonly alerts: readonly AlertTransition[];
  /** Set when the evaluator failed; its source then keeps its previous state (nothing resolves on a failure). */
  readonly error?: string;
}

/** What the monitor needs: the engine's `observe`, a clock, a log, and where a source's last evaluation time is kept. */
export interface MonitorDeps {
  readonly observe: (e: AlertEvaluation) => Promise<AlertTransition[]>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The persisted time of a source's last evaluation, so a restart does not evaluate (and count) again early. */
  readonly lastEvaluatedAt?: (source: string) => Date | null;
  readonly onEvaluated?: (r: EvaluationReport) => void;
}

/** The default interval of a source: every 3 hours. */
export const DEFAULT_INTERVAL_MS = 3 * 3_600_000;

interface Entry {
  readonly source: string;
  readonly intervalMs: number;
  readonly fn: Evaluator;
  lastRunAt: number | null;
}

/** Runs registered evaluators on their schedules and feeds each evaluation to the alert engine. */
export class Monitor {
  private readonly entries = new Map<string, Entry>();
  private readonly deps: MonitorDeps;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopping = new AbortController();

  constructor(deps: MonitorDeps) {
    this.deps = deps;
  }

  /** Adds a source to evaluate every `intervalMs`; a source registered twice is a bug. */
  registerEvaluator(source: string, intervalMs: number, fn: Evaluator): void {
    if (this.entries.has(source)) throw new Error(`evaluator ${source} is registered twice`);
    if (!(intervalMs > 0)) throw new Error(`evaluator ${source} needs a positive interval`);
    this.entries.set(source, { source, intervalMs, fn, lastRunAt: this.deps.lastEvaluatedAt?.(source)?.getTime() ?? null });
  }

  /** The registered sources. */
  sources(): string[] {
    return [...this.entries.keys()];
  }

  /** Runs every evaluator whose interval has passed (all of them when `all`), one after another. */
  async runDue(all = false): Promise<EvaluationReport[]> {
    const reports: EvaluationReport[] = [];
    for (const e of this.entries.values()) {
      const now = this.deps.clock.now();
      if (!all && e.lastRunAt !== null && now.getTime() - e.lastRunAt < e.intervalMs) continue;
      e.lastRunAt = now.getTime();
      const signal = this.stopping.signal;
      const report = await this.evaluate(e, now, signal);
      // A stop cut this evaluation short: it counts for nothing, and the next start runs it again.
      if (signal.aborted) {
        e.lastRunAt = null;
        break;
      }
      this.deps.onEvaluated?.(report);
      reports.push(report);
    }
    return reports;
  }

  /** Looks for due evaluators every `tickMs` until stop(). */
  start(tickMs = 30_000): void {
    if (this.timer) return;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    const tick = (): void => {
      this.running ??= this.runDue().finally(() => (this.running = null));
    };
    tick();
    this.timer = setInterval(tick, tickMs);
  }

  /** Stops the schedule and cancels an evaluation in flight (which records nothing half-done), waiting for it to end. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.running;
  }

  private async evaluate(e: Entry, at: Date, signal: AbortSignal): Promise<EvaluationReport> {
    let candidates: AlertCandidate[];
    try {
      candidates = await e.fn(signal);
    } catch (error) {
      if (signal.aborted) return { source: e.source, at: at.toISOString(), candidates: 0, alerts: [], error: 'cancelled' };
      this.deps.logger.error('evaluation failed', { source: e.source, error });
      return { source: e.source, at: at.toISOString(), candidates: 0, alerts: [], error: (error as Error).message };
    }
    const alerts = await this.deps.observe({ source: e.source, at, candidates });
    return { source: e.source, at: at.toISOString(), candidates: candidates.length, alerts };
  }
}
