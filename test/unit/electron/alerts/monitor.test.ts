import { describe, expect, it } from 'vitest';
import type { AlertCandidate } from '../../../../shared/domain/alerts.ts';
import { openDatabase } from '../../../../electron/db/database.ts';
import { AlertsRepo } from '../../../../electron/db/alerts-repo.ts';
import { AlertEngine } from '../../../../electron/alerts/alert-engine.ts';
import { DEFAULT_INTERVAL_MS, Monitor } from '../../../../electron/alerts/monitor.ts';
import { parseEvery } from '../../../../electron/cli/commands/monitor.ts';
import { createMemoryLogger } from '../../../../electron/platform/logger.ts';

const dmarc: AlertCandidate = { rule: 'dmarc.missing', target: 'a.test', expected: 'a DMARC record', current: 'none', dnsConfirmedByResolvers: 2 };

function setup() {
  let now = new Date('2026-06-01T00:00:00Z');
  const engine = new AlertEngine(new AlertsRepo(openDatabase(':memory:')));
  const monitor = new Monitor({ observe: async (e) => engine.observe(e).map(({ rule, target, state }) => ({ rule, target, state })), clock: { now: () => now }, logger: createMemoryLogger() });
  return { monitor, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('monitor schedule', () => {
  it('runs a source only when its interval has passed, and each source on its own interval', async () => {
    const { monitor, advance } = setup();
    const runs: string[] = [];
    monitor.registerEvaluator('dns', 3 * 3_600_000, async () => (runs.push('dns'), []));
    monitor.registerEvaluator('standard:x', 3_600_000, async () => (runs.push('std'), []));
    await monitor.runDue();
    advance(3_600_000);
    await monitor.runDue();
    advance(2 * 3_600_000 - 1);
    await monitor.runDue();
    advance(1);
    await monitor.runDue();
    // At 3 h - 1 ms the hourly source is due (2 h since its last run), the 3-hourly one is not; 1 ms later it is.
    expect(runs).toEqual(['dns', 'std', 'std', 'std', 'dns']);
    expect(() => monitor.registerEvaluator('dns', 1000, async () => [])).toThrow(/twice/);
  });

  it('a failed evaluation is not an evaluation: nothing resolves and the streak is kept', async () => {
    const { monitor, advance } = setup();
    const answers: (AlertCandidate[] | Error)[] = [[dmarc], new Error('resolver timed out'), [dmarc], new Error('SERVFAIL'), [dmarc], []];
    monitor.registerEvaluator('dns', 1000, async () => {
      const next = answers.shift()!;
      if (next instanceof Error) throw next;
      return next;
    });
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const [report] = await monitor.runDue();
      seen.push(report!.error ? `error ${report!.error}` : report!.alerts.map((a) => a.state).join(',') || '-');
      advance(1000);
    }
    expect(seen).toEqual(['-', 'error resolver timed out', 'raised', 'error SERVFAIL', '-', 'resolved']);
  });

  it('reads --every as a duration of at least 10 s, 3 hours by default', () => {
    expect(parseEvery(undefined)).toBe(DEFAULT_INTERVAL_MS);
    expect(parseEvery('90m')).toBe(90 * 60_000);
    expect(parseEvery('3h')).toBe(3 * 3_600_000);
    for (const bad of ['5s', '0h', 'often', '3 hours', '-1h']) expect(() => parseEvery(bad)).toThrow(/--every/);
  });
});

describe('monitor restart', () => {
  it('keeps the schedule across a restart: a source evaluated an hour ago waits, an old one runs', async () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const last: Record<string, Date> = { recent: new Date('2026-06-01T11:00:00Z'), old: new Date('2026-06-01T08:00:00Z') };
    const monitor = new Monitor({ observe: async () => [], clock: { now: () => now }, logger: createMemoryLogger(), lastEvaluatedAt: (s) => last[s] ?? null });
    const runs: string[] = [];
    for (const source of ['recent', 'old', 'new']) monitor.registerEvaluator(source, 3 * 3_600_000, async () => (runs.push(source), []));
    await monitor.runDue();
    expect(runs).toEqual(['old', 'new']);
    await monitor.runDue(true);
    expect(runs).toEqual(['old', 'new', 'recent', 'old', 'new']);
  });

  it('stop() cancels an evaluation in flight: it counts for nothing and runs again at the next start', async () => {
    const { monitor } = setup();
    const seen: AbortSignal[] = [];
    monitor.registerEvaluator('standard:slow', DEFAULT_INTERVAL_MS, (signal) => {
      seen.push(signal);
      // Never settles on its own: only the monitor's stop ends it, as a cancelled DNS run does.
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }));
    });
    const reports = monitor.runDue();
    monitor.start(60_000);
    await monitor.stop();
    expect(seen[0]?.aborted).toBe(true);
    expect(await reports).toEqual([]);
    // Not evaluated, so due again at the next start, with a fresh signal.
    monitor.start(60_000);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.aborted).toBe(false);
    await monitor.stop();
    expect(seen[1]?.aborted).toBe(true);
  });
});
