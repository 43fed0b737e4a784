import { createMonitor } from '../../app/monitor-setup.ts';
import { votingResolvers } from '../../alerts/dns-evaluator.ts';
import { DEFAULT_INTERVAL_MS, type EvaluationReport } from '../../alerts/monitor.ts';
import { createFileLogger } from '../../platform/logger.ts';
import { dataFiles } from '../../platform/paths.ts';
import { parse } from '../args.ts';
import { CHECK_OPTIONS, CHECK_USAGE, checkSettings } from '../check-options.ts';
import { ExitCode, UsageError, type CliCommand } from '../cli-context.ts';

const EVERY = /^(\d+)\s*(s|m|h)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Parses `--every 3h|90m|30s` (at least 10 s) into milliseconds. */
export function parseEvery(text: string | undefined): number {
  if (text === undefined) return DEFAULT_INTERVAL_MS;
  const m = EVERY.exec(text.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : Number.NaN;
  if (!(ms >= 10_000)) throw new UsageError(`--every must be a duration of at least 10s (e.g. 3h, 90m), not "${text.slice(0, 40)}".`);
  return ms;
}

const duration = (ms: number): string => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);

const line = (r: EvaluationReport): string =>
  `${r.at} ${r.source}: ${r.error ? `evaluation failed (${r.error}); state kept` : `${r.candidates} deviation(s)`}${r.alerts.map((a) => `\n  ${a.state.toUpperCase()} ${a.rule} on ${a.target}`).join('')}`;

/** `mailroom monitor`: a headless loop that evaluates every source on its schedule and raises or resolves alerts; stops cleanly on SIGTERM. */
export const monitorCommand: CliCommand = {
  name: 'monitor',
  summary: 'evaluate stored domains (and standards) on a schedule and send alerts, headless',
  usage: `mailroom monitor [--every 3h] [--once] ${CHECK_USAGE} [--json]
         (DNS alerts need two resolvers to agree: give --dns twice, or configure two system resolvers;
          --once evaluates every source once and exits; otherwise it runs until SIGTERM or Ctrl+C;
          --json prints one JSON line per evaluation)`,
  async run(argv, ctx) {
    const { values } = parse(argv, { ...CHECK_OPTIONS, every: { type: 'string' }, once: { type: 'boolean' } }, false);
    const everyMs = parseEvery(values.every);
    const { settings, sendingIps, dkimSelectors } = await checkSettings(values);
    const services = ctx.services();
    const { monitor, resolvers: configured } = createMonitor(services, {
      dns: { settings, sendingIps, dkimSelectors },
      everyMs,
      logger: createFileLogger(dataFiles(ctx.dataDir).log),
      onEvaluated: (r) => ctx.io.stdout.write(ctx.json ? `${JSON.stringify(r)}\n` : `${line(r)}\n`),
    });
    const resolvers = votingResolvers(configured);
    if (resolvers.length < 2) ctx.io.stderr.write(`warning: only one resolver (${resolvers.join('') || 'none'}): DNS findings are listed but never raise an alert, which needs two resolvers to agree. Give --dns twice.\n`);
    if (values.once) {
      const reports = await monitor.runDue(true);
      return reports.some((r) => r.error) ? ExitCode.failed : ExitCode.ok;
    }
    // The handlers go in before anything is printed: a supervisor may send SIGTERM as soon as it sees the first line.
    const stopped = new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    monitor.start();
    if (!ctx.json) ctx.io.stdout.write(`Monitoring ${monitor.sources().join(', ')} every ${duration(everyMs)}; SIGTERM or Ctrl+C stops after the evaluation in flight.\n`);
    await stopped;
    await monitor.stop();
    if (!ctx.json) ctx.io.stdout.write('Monitor stopped.\n');
    return ExitCode.ok;
  },
};
