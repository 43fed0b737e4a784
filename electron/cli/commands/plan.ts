import { readFileSync, writeFileSync } from 'node:fs';
import type { MigrationPlan, MigrationPresetName, NewPlanFromUrls, PlanFromUrls } from '../../../shared/domain/migration.ts';
import type { PlanSettingsPatch } from '../../migration/plan-reestimate.ts';
import { ok, type Result } from '../../../shared/errors/result.ts';
import { parseEndpointUrl } from '../../migration/endpoint.ts';
import { PRESET_NAMES, presetFor } from '../../migration/presets.ts';
import { parse } from '../args.ts';
import { readCsvRecords } from '../csv-file.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emitError, table } from '../output.ts';
import { readSecret } from '../password-input.ts';
import { PRIVATE_FILE_MODE } from '../../platform/private-files.ts';

// Where plans live: the migration service through the router (journaled), or a --state database of their own.
interface Plans {
  create(input: NewPlanFromUrls): Promise<Result<PlanFromUrls>>;
  find(idOrName: string): Promise<MigrationPlan | null>;
  csv(plan: MigrationPlan): Promise<Result<string>>;
  edit(plan: MigrationPlan, patch: PlanSettingsPatch): Promise<Result<MigrationPlan>>;
  close(): void;
}

/** `mailroom plan`: inventory + estimates + warnings + cut-over timeline, stored in SQLite, exportable to CSV. */
export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'plan a migration: inventory, limits, duration and DNS cut-over (stored, works offline)',
  usage: `mailroom plan --source imaps://USER@HOST[:PORT] [--target TARGET] --target-preset ${PRESET_NAMES.join('|')} [--source-preset P]
              [--source-dav https://[USER@]HOST/] [--target-dav URL] [--pairs PAIRS.csv] [--name NAME] [--parallel N] [--start ISO-DATE]
              [--include-shared] [--state F.db] [--csv OUT.csv] [--json]
         (PAIRS.csv columns: source,target[,source_password_file,source_dav,target_dav]; password: MAILROOM_SOURCE_PASSWORD or the file;
          a DAV URL logs in as the IMAP user unless it names another, always with the IMAP password)
          --include-shared: other users' and shared folders are copied too, and counted in the estimate (default: the personal namespace only)
mailroom plan --show NAME|ID [--state F.db] [--csv OUT.csv] [--json]   (offline: no network)
mailroom plan --edit NAME|ID --include-shared|--no-include-shared [--state F.db] [--csv OUT.csv] [--json]
         (offline: the estimates are recomputed from the stored inventory, as the console's edit does)`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      source: { type: 'string' }, target: { type: 'string' }, pairs: { type: 'string' }, name: { type: 'string' },
      'target-preset': { type: 'string' }, 'source-preset': { type: 'string' }, parallel: { type: 'string' }, start: { type: 'string' },
      state: { type: 'string' }, csv: { type: 'string' }, show: { type: 'string' }, ca: { type: 'string' }, 'source-password-file': { type: 'string' },
      'source-dav': { type: 'string' }, 'target-dav': { type: 'string' }, 'include-shared': { type: 'boolean' }, 'no-include-shared': { type: 'boolean' },
      edit: { type: 'string' },
    }, false);
    if (values.show && values.edit) throw new UsageError('--show and --edit: one at a time.');
    if (values['include-shared'] && values['no-include-shared']) throw new UsageError('--include-shared and --no-include-shared contradict each other.');
    const includeShared = values['include-shared'] ? true : values['no-include-shared'] ? false : undefined;
    const plans = values.state ? await stateFilePlans(values.state) : routerPlans(ctx);
    try {
      if (values.show) {
        const plan = await plans.find(values.show);
        if (!plan) throw new UsageError(`No plan "${values.show}".`);
        return await print(ctx, plans, plan, values.csv);
      }
      if (values.edit) {
        if (includeShared === undefined) throw new UsageError('--edit needs a change: --include-shared or --no-include-shared.');
        const plan = await plans.find(values.edit);
        if (!plan) throw new UsageError(`No plan "${values.edit}".`);
        const edited = await plans.edit(plan, { includeShared });
        return edited.ok ? await print(ctx, plans, edited.value, values.csv) : failed(ctx, edited);
      }
      const target = presetFor(values['target-preset'] ?? '');
      if (!target) throw new UsageError(`--target-preset must be one of ${PRESET_NAMES.join(', ')}.`);
      if (values['source-preset'] && !presetFor(values['source-preset'])) throw new UsageError(`--source-preset must be one of ${PRESET_NAMES.join(', ')}.`);
      const parallel = Number(values.parallel ?? 4);
      if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) throw new UsageError('--parallel must be 1..64.');
      if (values.start && Number.isNaN(Date.parse(values.start))) throw new UsageError(`--start must be an ISO date, not "${values.start}".`);
      const rows = values.pairs
        ? (await readCsvRecords(values.pairs, 'mailbox pairs (source,target)')).map((r) => ({ source: r['source'] ?? '', target: r['target'] ?? '', file: r['source_password_file'] || undefined, sourceDav: r['source_dav'] || undefined, targetDav: r['target_dav'] || undefined }))
        : [{ source: values.source ?? '', target: values.target ?? '', file: values['source-password-file'], sourceDav: values['source-dav'], targetDav: values['target-dav'] }];
      const pairs: NewPlanFromUrls['pairs'][number][] = [];
      for (const pair of rows) {
        const address = parseEndpointUrl(pair.source);
        if (typeof address === 'string') throw new UsageError(`source ${pair.source}: ${address}`);
        const sourcePassword = await readSecret(ctx.io, { ...(pair.file ? { file: pair.file } : { env: 'MAILROOM_SOURCE_PASSWORD' }), prompt: 'Password' });
        pairs.push({ source: pair.source, target: pair.target, sourcePassword, ...(pair.sourceDav ? { sourceDav: pair.sourceDav } : {}), ...(pair.targetDav ? { targetDav: pair.targetDav } : {}) });
      }
      const created = await plans.create({
        ...(values.name ? { name: values.name } : {}),
        pairs,
        preset: target.name as MigrationPresetName,
        ...(values['source-preset'] ? { sourcePreset: values['source-preset'] as MigrationPresetName } : {}),
        parallel,
        ...(values.start ? { start: values.start } : {}),
        ...(values.ca ? { ca: readFileSync(values.ca, 'utf8') } : {}),
        ...(includeShared !== undefined ? { includeShared } : {}),
      });
      if (!created.ok) {
        emitError(ctx, created.error);
        return created.error.code === 'input.invalid' ? ExitCode.usage : ExitCode.failed;
      }
      // A source whose inventory failed is left out of the plan; the plan is saved with the others.
      for (const f of created.value.failures) emitError(ctx, f.error);
      const code = await print(ctx, plans, created.value.plan, values.csv);
      return created.value.failures.length > 0 ? ExitCode.failed : code;
    } finally {
      plans.close();
    }
  },
};

// Without --state: the migration service's operations, so a new plan is journaled like one made in the console.
function routerPlans(ctx: CliContext): Plans {
  return {
    create: (input) => ctx.api.migration.createPlanFromUrls(input),
    async find(idOrName) {
      const list = await ctx.api.migration.listPlans();
      const summary = list.ok ? (list.value.find((p) => p.id === idOrName) ?? list.value.find((p) => p.name === idOrName)) : undefined;
      const plan = summary ? await ctx.api.migration.getPlan(summary.id) : null;
      return plan?.ok ? plan.value : null;
    },
    csv: (plan) => ctx.api.migration.exportPlanCsv(plan.id),
    edit: (plan, patch) => ctx.api.migration.updatePlan(plan.id, patch),
    close: () => undefined,
  };
}

// With --state FILE: the same plan code on that database, without the app (and outside its journal).
async function stateFilePlans(file: string): Promise<Plans> {
  const [{ openDatabase }, { PlanRepo }, { createPlanFromUrls }, { planCsv }, { reestimatedPlan }] = await Promise.all([
    import('../../db/database.ts'),
    import('../../migration/plan-repo.ts'),
    import('../../migration/plan-from-urls.ts'),
    import('../../migration/plan-csv.ts'),
    import('../../migration/plan-reestimate.ts'),
  ]);
  const db = openDatabase(file);
  const repo = new PlanRepo(db);
  return {
    create: (input) => createPlanFromUrls(repo, input, new Date()),
    find: async (idOrName) => {
      const id = repo.plan(idOrName) ? idOrName : repo.plans().find((p) => p.name === idOrName)?.id;
      return id ? repo.plan(id) : null;
    },
    csv: async (plan) => ok(planCsv(plan)),
    edit: async (plan, patch) => {
      repo.savePlan(reestimatedPlan(plan, patch, plan.rows, new Date()));
      return ok(repo.plan(plan.id)!);
    },
    close: () => db.close(),
  };
}

async function print(ctx: CliContext, plans: Plans, plan: MigrationPlan, csv: string | undefined): Promise<number> {
  if (csv) {
    const text = await plans.csv(plan);
    if (!text.ok) return failed(ctx, text);
    writeFileSync(csv, text.value, { mode: PRIVATE_FILE_MODE });
  }
  if (ctx.json) {
    const rows = plan.rows.map(({ source, target, estimate, warnings, inventory, sourceDav, targetDav, dav }) => ({ source, target, estimate, warnings, folders: inventory?.length ?? 0, sourceDav: sourceDav ?? null, targetDav: targetDav ?? null, dav: dav ?? null }));
    const summary = { batchSeconds: plan.batchSeconds, parallel: plan.parallel, timeline: plan.timeline };
    ctx.io.stdout.write(JSON.stringify({ plan: { id: plan.id, name: plan.name, createdAt: plan.createdAt, targetPreset: plan.targetPreset, includeShared: plan.includeShared ?? false, summary, rows } }) + '\n');
    return ExitCode.ok;
  }
  const out = ctx.io.stdout;
  out.write(`Plan "${plan.name}" (${plan.id}), target preset ${plan.targetPreset}, ${plan.includeShared ? "other users' and shared folders included" : 'personal folders only'}\n`);
  out.write(
    table(
      ['SOURCE', 'MESSAGES', 'MB', 'OVERSIZE', 'ESTIMATE', 'LIMITED BY'],
      plan.rows.map(({ source, estimate: e }) => (e ? [source, String(e.messages), (e.bytes / 1e6).toFixed(1), String(e.oversize), duration(e.seconds), e.limitedBy] : [source, '-', '-', '-', '-', 'no inventory'])),
    ) + '\n',
  );
  printShared(out, plan);
  printDav(out, plan);
  for (const r of plan.rows) for (const w of r.warnings) out.write(`warning: ${r.source}: ${w}\n`);
  out.write(`Batch: ${duration(plan.batchSeconds)} with ${plan.parallel} mailboxes in parallel.\nCut-over:\n`);
  for (const s of plan.timeline) out.write(`  ${s.at}  ${s.step}\n`);
  return ExitCode.ok;
}

// Other users' and shared folders of each source, apart from its figures (counted in them only when the plan includes them).
function printShared(out: CliContext['io']['stdout'], plan: MigrationPlan): void {
  for (const { source, estimate } of plan.rows) {
    const s = estimate?.shared;
    if (!s) continue;
    const how = s.counted ? 'counted above (the plan includes shared folders)' : 'not counted above (copied only when shared folders are asked for)';
    out.write(`${source}: other users' and shared folders: ${s.folders} ${s.folders === 1 ? 'folder' : 'folders'}, ${s.messages} ${s.messages === 1 ? 'message' : 'messages'}, ${(s.bytes / 1e6).toFixed(1)} MB, ${how}\n`);
  }
}

// Calendars and address books of each pair that has a DAV URL, beside its mail figures.
function printDav(out: CliContext['io']['stdout'], plan: MigrationPlan): void {
  const found = plan.rows.flatMap((r) => (r.dav?.collections ?? []).map((c) => [r.source, c.kind === 'calendar' ? 'calendar' : 'address book', c.displayName, String(c.items), ((c.bytes ?? 0) / 1e6).toFixed(1)]));
  if (found.length > 0) out.write('Calendars and contacts:\n' + table(['SOURCE', 'KIND', 'NAME', 'ITEMS', 'MB'], found) + '\n');
  for (const r of plan.rows) if (r.dav && !r.dav.error && r.dav.collections.length === 0) out.write(`${r.source}: no calendars or address books at ${r.sourceDav ?? ''}\n`);
}

function failed(ctx: CliContext, r: Result<unknown> & { ok: false }): number {
  emitError(ctx, r.error);
  return ExitCode.failed;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
