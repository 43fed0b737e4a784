import { readFile, writeFile } from 'node:fs/promises';
import type { Deviation, Standard, StandardEvaluation } from '../../../shared/domain/standards.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import type { Remedy } from '../../standards/remediation.ts';
import { applyRemedy } from '../../standards/apply-remedy.ts';
import { EMAIL_BASELINE } from '../../standards/email-baseline.ts';
import { parse } from '../args.ts';
import { CHECK_OPTIONS, CHECK_USAGE, checkRunFrom } from '../check-options.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';

const customer = { customer: { type: 'string' } } as const;
// The shell's convention for a run stopped by SIGINT (128 + 2).
const INTERRUPTED = 130;

/** `mailroom standards …`: standards as data, their evaluation, drift and accepted deviations. */
export const standardsCommand: CliCommand = {
  name: 'standards',
  summary: 'hold every customer and domain to a standard; see and accept drift',
  usage: `mailroom standards list [--customer C] [--json]
mailroom standards show [NAME] [--json]
mailroom standards import FILE.json [--json]        (replacing a stored standard needs a higher version)
mailroom standards export [NAME] [--file F]
mailroom standards evaluate [--standard NAME] [--customer C] [DOMAIN...] ${CHECK_USAGE} [--json]
         (exit 0: aligned; 1: deviations that count; 130: Ctrl+C, nothing stored; NAME defaults to "${EMAIL_BASELINE.name}")
mailroom standards drift [NAME] [--customer C] [--json]      (the latest evaluation)
mailroom standards accept [NAME] --rule R --target T|'*' --reason TEXT [--json]
mailroom standards remediate [NAME] [--rule R] [--target T] [--customer C] [--apply] [--dns HOST:PORT]... [--json]
         (the latest evaluation's deviations in remediate mode, or those named; prints the fixes, --apply makes the platform ones)`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub === 'list') {
      const { values } = parse(rest, customer, false);
      const result = await ctx.api.standards.list(values.customer ? { customer: values.customer } : {});
      if (!result.ok) return failed(ctx, result.error);
      emit(ctx, { standards: result.value }, () => table(['NAME', 'VERSION', 'RULES', 'LAST EVALUATED'], result.value.map((s) => [s.name, String(s.version), String(s.rules), s.lastEvaluatedAt ?? 'never'])));
      return ExitCode.ok;
    }
    if (sub === 'show' || sub === 'export') {
      const { values, positionals } = parse(rest, { file: { type: 'string' } });
      if (sub === 'show' && values.file) throw new UsageError('--file goes with standards export.');
      const result = await ctx.api.standards.show(nameOf(positionals));
      if (!result.ok) return failed(ctx, result.error);
      if (sub === 'export') return exportStandard(ctx, result.value, values.file);
      emit(ctx, result.value, () => [`${result.value.name} (version ${result.value.version}) — ${targetsText(result.value)}`, table(['RULE', 'MODE', 'PARAMS'], result.value.rules.map((r) => [r.rule, r.mode, r.params ? JSON.stringify(r.params) : '']))].join('\n'));
      return ExitCode.ok;
    }
    if (sub === 'import') {
      const { positionals } = parse(rest, {});
      if (positionals.length !== 1) throw new UsageError('standards import needs one FILE.json.');
      const document = await readJson(positionals[0]!);
      const result = await ctx.api.standards.import(document as Standard);
      if (!result.ok) return failed(ctx, result.error);
      emit(ctx, result.value, () => `Stored "${result.value.name}" version ${result.value.version} (${result.value.rules} rules).`);
      return ExitCode.ok;
    }
    if (sub === 'evaluate') return evaluate(rest, ctx);
    if (sub === 'remediate') return remediate(rest, ctx);
    if (sub === 'drift') {
      const { values, positionals } = parse(rest, customer);
      const result = await ctx.api.standards.latest(nameOf(positionals), values.customer ? { customer: values.customer } : {});
      if (!result.ok) return failed(ctx, result.error);
      if (result.value === null) {
        emit(ctx, null, () => 'Not evaluated yet: run `mailroom standards evaluate`.');
        return ExitCode.ok;
      }
      emit(ctx, jsonOf(result.value), () => human(result.value!));
      return result.value.deviations.length > 0 ? ExitCode.failed : ExitCode.ok;
    }
    if (sub === 'accept') {
      const { values, positionals } = parse(rest, { rule: { type: 'string' }, target: { type: 'string' }, reason: { type: 'string' } });
      if (!values.rule || !values.target || !values.reason) throw new UsageError('standards accept needs --rule R, --target T (or \'*\' for every target) and --reason TEXT.');
      const result = await ctx.api.standards.accept({ standard: nameOf(positionals), rule: values.rule, target: values.target, reason: values.reason });
      if (!result.ok) return failed(ctx, result.error);
      emit(ctx, result.value, () => `Accepted ${result.value.rule} on ${result.value.target === '*' ? 'every target' : result.value.target} in "${result.value.standard}"; it no longer counts from the next evaluation on.`);
      return ExitCode.ok;
    }
    throw new UsageError(`Unknown subcommand "standards ${sub ?? ''}". Try: list, show, import, export, evaluate, drift, accept, remediate.`);
  },
};

async function evaluate(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, { ...CHECK_OPTIONS, ...customer, standard: { type: 'string' } });
  const { request, settings } = await checkRunFrom(values);
  const services = ctx.services();
  const name = values.standard ?? EMAIL_BASELINE.name;
  // Each domain's check is stored in the history as `mailroom check` stores it, a hundred per transaction.
  const checked: Parameters<typeof services.dns.record>[0][] = [];
  const flush = (): void => services.dns.recordAll(checked.splice(0), request.profile);
  const onProgress = (_done: number, _total: number, report: (typeof checked)[number]): void => {
    if (checked.push(report) >= 100) flush();
  };
  const run = { ...settings, onProgress };
  // Ctrl+C stops the evaluation cleanly: one line, exit 130, and no evaluation stored (checks already made stay in the history).
  const interrupt = new AbortController();
  const stop = (): void => interrupt.abort();
  process.once('SIGINT', stop);
  let result: Awaited<ReturnType<typeof services.standards.evaluate>>;
  try {
    result = await services.standards.evaluate(name, { ...(values.customer ? { customer: values.customer } : {}), domains: positionals, request, run, signal: interrupt.signal, spread: true });
  } finally {
    process.off('SIGINT', stop);
    flush();
  }
  if (!result.ok && result.error.code === 'cancelled') {
    ctx.io.stderr.write(`${result.error.message}\n`);
    return INTERRUPTED;
  }
  if (!result.ok) return failed(ctx, result.error);
  emit(ctx, jsonOf(result.value), () => human(result.value));
  return result.value.deviations.length > 0 ? ExitCode.failed : ExitCode.ok;
}

async function remediate(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, { ...customer, rule: { type: 'string' }, target: { type: 'string' }, apply: { type: 'boolean' }, dns: { type: 'string', multiple: true } });
  const { settings } = await checkRunFrom({ ...(values.dns ? { dns: values.dns } : {}) });
  const filter = { ...(values.rule ? { rule: values.rule } : {}), ...(values.target ? { target: values.target } : {}), ...(values.customer ? { customer: values.customer } : {}) };
  const result = await ctx.services().standards.remedies(nameOf(positionals), filter, settings);
  if (!result.ok) return failed(ctx, result.error);
  const applied: { target: string; ok: boolean; message: string }[] = [];
  for (const remedy of values.apply ? result.value : []) {
    if (remedy.kind !== 'adapter') continue;
    // Through the router, so each change is journaled like the console's.
    const done = await applyRemedy(ctx.api, remedy);
    applied.push({ target: remedy.target, ok: done.ok, message: done.ok ? `${remedy.action} done` : done.error.message });
  }
  emit(ctx, { remedies: result.value, applied }, () =>
    [
      ...result.value.map((r) => `${r.rule} ${r.target}: ${r.kind === 'dns' ? `publish ${r.zoneLine}` : r.kind === 'adapter' ? `${r.action} ${r.address}${adapterDetail(r)}${values.apply ? '' : ' (with --apply)'}` : r.how}`),
      ...applied.map((a) => `${a.ok ? 'fixed' : 'NOT fixed'} ${a.target}: ${a.message}`),
      result.value.length ? 'Run `mailroom standards evaluate` again to see the drift resolve.' : 'Nothing to remediate.',
    ].join('\n'),
  );
  return applied.some((a) => !a.ok) ? ExitCode.failed : ExitCode.ok;
}

function adapterDetail(r: Remedy & { kind: 'adapter' }): string {
  if (r.threshold) return ` to ${r.threshold.low},${r.threshold.high}`;
  if (r.settings) return ` to ${JSON.stringify(r.settings)}`;
  return r.targets ? ` keeping ${r.targets.join(', ')}` : '';
}

// The printed form: the fields the issue names first, the rest after.
function jsonOf(e: StandardEvaluation): Record<string, unknown> {
  const row = (d: Deviation) => ({ rule: d.rule, target: d.target, expected: d.expected, current: d.current, mode: d.mode, since: d.since, customer: d.customer, supported: d.supported, ...(d.connectionId ? { connectionId: d.connectionId } : {}), ...(d.accepted ? { accepted: d.accepted } : {}) });
  return { standard: e.standard, version: e.version, at: e.at, evaluated: e.evaluated, score: e.score, supportedScore: e.supportedScore, deviations: e.deviations.map(row), accepted: e.accepted.map(row), alerts: e.alerts, domains: e.domains };
}

function human(e: StandardEvaluation): string {
  const scores = Object.entries(e.score).map(([c, s]) => `${c} ${s}/100 (supported rules ${e.supportedScore[c] ?? s}/100)`);
  return [
    `${e.standard} v${e.version}, ${e.evaluated} domains, ${e.at}`,
    `Alignment: ${scores.join('; ') || 'no domains'}`,
    e.deviations.length === 0 ? 'No deviations.' : table(['RULE', 'TARGET', 'MODE', 'SINCE', 'EXPECTED', 'CURRENT'], e.deviations.map((d) => [d.rule, d.target, d.mode, d.since, d.expected, d.current.slice(0, 120)])),
    ...(e.accepted.length ? [`${e.accepted.length} accepted deviations not counted.`] : []),
  ].join('\n');
}

function targetsText(s: Standard): string {
  return s.targets.kind === 'all' ? 'all customers' : s.targets.kind === 'except' ? `all customers except ${s.targets.customers.join(', ')}` : `customers ${s.targets.customers.join(', ')}`;
}

function nameOf(positionals: readonly string[]): string {
  if (positionals.length > 1) throw new UsageError(`Give one standard name (quote names with spaces), not ${positionals.length}.`);
  return positionals[0] ?? EMAIL_BASELINE.name;
}

async function exportStandard(ctx: CliContext, standard: Standard, file: string | undefined): Promise<number> {
  const text = JSON.stringify(standard, null, 2) + '\n';
  if (file === undefined) {
    ctx.io.stdout.write(text);
    return ExitCode.ok;
  }
  try {
    await writeFile(file, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new UsageError(`${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); an existing file is never replaced.`);
  }
  if (!ctx.json) ctx.io.stderr.write(`Wrote "${standard.name}" version ${standard.version} to ${file}.\n`);
  else emit(ctx, { file, name: standard.name, version: standard.version }, () => '');
  return ExitCode.ok;
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message}).`);
  }
}

function failed(ctx: CliContext, error: AppError): number {
  if (error.code === 'input.invalid') throw new UsageError(error.message);
  emitError(ctx, error);
  return ExitCode.failed;
}
