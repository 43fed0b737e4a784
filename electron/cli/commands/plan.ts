import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { openDatabase, type Db } from '../../db/database.ts';
import { parseEndpointUrl } from '../../migration/endpoint.ts';
import { takeInventory } from '../../migration/inventory.ts';
import { loadPlan, savePlan, type StoredPlan } from '../../migration/plan-store.ts';
import { batchSeconds, cutoverTimeline, estimateMailbox } from '../../migration/planner.ts';
import { PRESET_NAMES, presetFor } from '../../migration/presets.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emitError, table } from '../output.ts';
import { readSecret } from '../password-input.ts';
import { PRIVATE_FILE_MODE } from '../../platform/private-files.ts';

/** `mailroom plan`: inventory + estimates + warnings + cut-over timeline, stored in SQLite, exportable to CSV. */
export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'plan a migration: inventory, limits, duration and DNS cut-over (stored, works offline)',
  usage: `mailroom plan --source imaps://USER@HOST[:PORT] [--target TARGET] --target-preset ${PRESET_NAMES.join('|')} [--source-preset P]
              [--pairs PAIRS.csv] [--name NAME] [--parallel N] [--start ISO-DATE] [--state F.db] [--csv OUT.csv] [--json]
         (PAIRS.csv columns: source,target[,source_password_file]; password: MAILROOM_SOURCE_PASSWORD or the file)
mailroom plan --show NAME|ID [--state F.db] [--csv OUT.csv] [--json]   (offline: no network)`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      source: { type: 'string' }, target: { type: 'string' }, pairs: { type: 'string' }, name: { type: 'string' },
      'target-preset': { type: 'string' }, 'source-preset': { type: 'string' }, parallel: { type: 'string' }, start: { type: 'string' },
      state: { type: 'string' }, csv: { type: 'string' }, show: { type: 'string' }, ca: { type: 'string' }, 'source-password-file': { type: 'string' },
    }, false);
    const db: Db = values.state ? openDatabase(values.state) : ctx.services().db;
    try {
      if (values.show) {
        const plan = loadPlan(db, values.show);
        if (!plan) throw new UsageError(`No plan "${values.show}".`);
        return print(ctx, plan, values.csv);
      }
      const target = presetFor(values['target-preset'] ?? '');
      if (!target) throw new UsageError(`--target-preset must be one of ${PRESET_NAMES.join(', ')}.`);
      const source = values['source-preset'] ? presetFor(values['source-preset']) : null;
      const pairs = values.pairs
        ? (parseCsv(readFileSync(values.pairs, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[]).map((r) => ({ source: r['source'] ?? '', target: r['target'] ?? '', file: r['source_password_file'] || undefined }))
        : [{ source: values.source ?? '', target: values.target ?? '', file: values['source-password-file'] }];
      const ca = values.ca ? readFileSync(values.ca, 'utf8') : undefined;
      const rows: StoredPlan['rows'][number][] = [];
      let failed = false;
      for (const pair of pairs) {
        const address = parseEndpointUrl(pair.source);
        if (typeof address === 'string') throw new UsageError(`source ${pair.source}: ${address}`);
        const secret = await readSecret(ctx.io, { ...(pair.file ? { file: pair.file } : { env: 'MAILROOM_SOURCE_PASSWORD' }), prompt: 'Password' });
        const inv = await takeInventory({ ...address, auth: { password: secret }, ...(ca ? { ca } : {}) }, target.maxMessageBytes);
        if (!inv.ok) {
          emitError(ctx, inv.error);
          failed = true;
          continue;
        }
        const estimate = estimateMailbox(inv.value, target, source);
        rows.push({ source: pair.source, target: pair.target, inventory: inv.value, estimate, warnings: estimate.warnings });
      }
      const parallel = Number(values.parallel ?? 4);
      const total = batchSeconds(rows.map((r) => r.estimate.seconds), parallel);
      const start = values.start ? new Date(values.start) : new Date(Date.now() + 2 * 86_400_000);
      const name = values.name ?? `plan-${new Date().toISOString().slice(0, 10)}`;
      const plan: StoredPlan = {
        id: createHash('sha256').update(name).digest('hex').slice(0, 12),
        name,
        createdAt: new Date().toISOString(),
        targetPreset: target.name,
        summary: { batchSeconds: total, parallel, timeline: cutoverTimeline(start, total) },
        rows,
      };
      savePlan(db, plan);
      const code = print(ctx, plan, values.csv);
      return failed ? ExitCode.failed : code;
    } finally {
      if (values.state) db.close();
    }
  },
};

function print(ctx: CliContext, plan: StoredPlan, csv: string | undefined): number {
  if (csv) {
    writeFileSync(
      csv,
      stringify([
        ['source', 'target', 'messages', 'bytes', 'upload_messages', 'upload_bytes', 'label_overhead_bytes', 'oversize', 'estimate_seconds', 'limited_by', 'warnings'],
        ...plan.rows.map((r) => [r.source, r.target, r.estimate.messages, r.estimate.bytes, r.estimate.uploadMessages, r.estimate.uploadBytes, r.estimate.labelOverheadBytes, r.estimate.oversize, r.estimate.seconds, r.estimate.limitedBy, r.warnings.join(' | ')]),
      ]),
      { mode: PRIVATE_FILE_MODE },
    );
  }
  if (ctx.json) {
    ctx.io.stdout.write(JSON.stringify({ plan: { ...plan, rows: plan.rows.map(({ inventory, ...r }) => ({ ...r, folders: inventory?.length ?? 0 })) } }) + '\n');
    return ExitCode.ok;
  }
  const out = ctx.io.stdout;
  out.write(`Plan "${plan.name}" (${plan.id}), target preset ${plan.targetPreset}\n`);
  out.write(table(['SOURCE', 'MESSAGES', 'MB', 'OVERSIZE', 'ESTIMATE', 'LIMITED BY'], plan.rows.map((r) => [r.source, String(r.estimate.messages), (r.estimate.bytes / 1e6).toFixed(1), String(r.estimate.oversize), duration(r.estimate.seconds), r.estimate.limitedBy])) + '\n');
  for (const r of plan.rows) for (const w of r.warnings) out.write(`warning: ${r.source}: ${w}\n`);
  out.write(`Batch: ${duration(plan.summary.batchSeconds)} with ${plan.summary.parallel} mailboxes in parallel.\nCut-over:\n`);
  for (const s of plan.summary.timeline) out.write(`  ${s.at}  ${s.step}\n`);
  return ExitCode.ok;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
