import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import type { CachedAlias, CachedDomain, MailboxPage } from '../../../shared/domain/inventory.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError } from '../output.ts';
import { parseSize } from './provisioning.ts';

interface Row {
  type: string;
  address: string;
  name?: string;
  quota?: string;
  targets?: string;
}

interface Step {
  readonly op: '+' | '~' | '=';
  readonly type: string;
  readonly address: string;
  readonly detail: string;
  readonly call: readonly [string, ...unknown[]] | null;
}

/** `mailroom import F.csv --connection NAME [--dry-run]`: columns type,address,name,quota,targets. */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'bulk-create or update domains, mailboxes, aliases, groups and forwards from CSV',
  usage: `mailroom import FILE.csv --connection NAME [--dry-run] [--json]
         columns: type (domain|mailbox|alias|group|forward), address, name, quota, targets (a;b)
         new mailboxes get a generated password, printed once; the diff is compared with a fresh refresh`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { connection: { type: 'string' }, 'dry-run': { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('Give one CSV file.');
    if (!values.connection) throw new UsageError('--connection NAME is required.');
    const conn = ctx.services().connections.find(values.connection);
    if (!conn) throw new UsageError(`No connection "${values.connection}".`);
    const rows = parseCsv(readFileSync(positionals[0]!, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Row[];
    const refreshed = await ctx.call('domains.refresh', conn.id);
    if (!refreshed.ok) {
      emitError(ctx, refreshed.error);
      return ExitCode.failed;
    }
    const steps = await plan(ctx, conn.id, rows);
    const changes = steps.filter((s) => s.op !== '=');
    if (values['dry-run']) {
      emit(ctx, { dryRun: true, steps: steps.map(({ call: _c, ...s }) => s) }, () => [...steps.map((s) => `${s.op} ${s.type} ${s.address}${s.detail ? `  ${s.detail}` : ''}`), `${changes.length} change(s), ${steps.length - changes.length} unchanged; nothing written (dry run).`].join('\n'));
      return ExitCode.ok;
    }
    const results: { address: string; ok: boolean; error?: string; generatedPassword?: string }[] = [];
    for (const step of changes) {
      const [channel, ...args] = step.call!;
      const r = await ctx.call(channel, ...args);
      const generated = channel === 'mailboxes.create' ? (args[1] as { password: string }).password : undefined;
      results.push({ address: step.address, ok: r.ok, ...(r.ok ? {} : { error: `${r.error.code}: ${r.error.message}` }), ...(r.ok && generated ? { generatedPassword: generated } : {}) });
    }
    const failed = results.filter((r) => !r.ok).length;
    emit(ctx, { applied: results }, () =>
      [...results.map((r) => (r.ok ? `ok   ${r.address}${r.generatedPassword ? `  password (shown once): ${r.generatedPassword}` : ''}` : `FAIL ${r.address}  ${r.error}`)), `${results.length - failed} applied, ${failed} failed.`].join('\n'),
    );
    return failed ? ExitCode.failed : ExitCode.ok;
  },
};

async function plan(ctx: CliContext, id: string, rows: readonly Row[]): Promise<Step[]> {
  const domains = await ctx.call<CachedDomain[]>('domains.list', { connectionId: id });
  const aliases = await ctx.call<CachedAlias[]>('aliases.list', { connectionId: id });
  const mailboxes = await ctx.call<MailboxPage>('mailboxes.search', { connectionId: id, limit: 10_000 });
  const knownDomains = new Set(domains.ok ? domains.value.map((d) => d.name) : []);
  const knownAliases = new Map(aliases.ok ? aliases.value.map((a) => [a.address, a.targets.join(',')]) : []);
  const knownBoxes = new Map(mailboxes.ok ? mailboxes.value.rows.map((m) => [m.address, m]) : []);
  const steps: Step[] = [];
  for (const row of rows) {
    const address = row.address.toLowerCase();
    const targets = (row.targets ?? '').split(/[;,]/).map((t) => t.trim().toLowerCase()).filter(Boolean);
    const quota = row.quota ? parseSize(row.quota) : undefined;
    switch (row.type) {
      case 'domain':
        steps.push(knownDomains.has(address) ? { op: '=', type: 'domain', address, detail: '', call: null } : { op: '+', type: 'domain', address, detail: row.name ?? '', call: ['domains.create', id, { name: address, ...(row.name ? { description: row.name } : {}) }] });
        break;
      case 'mailbox': {
        const current = knownBoxes.get(address);
        if (!current) {
          const password = randomBytes(15).toString('base64url');
          steps.push({ op: '+', type: 'mailbox', address, detail: `quota ${quota ?? 'default'}`, call: ['mailboxes.create', id, { address, password, ...(row.name ? { displayName: row.name } : {}), ...(quota !== undefined ? { quotaBytes: quota } : {}) }] });
        } else {
          const patch = { ...(row.name && row.name !== current.displayName ? { displayName: row.name } : {}), ...(quota !== undefined && quota !== current.quotaBytes ? { quotaBytes: quota } : {}) };
          const detail = Object.entries(patch).map(([k, v]) => `${k}: ${String(current[k as keyof typeof current])} -> ${String(v)}`).join(', ');
          steps.push(Object.keys(patch).length ? { op: '~', type: 'mailbox', address, detail, call: ['mailboxes.update', id, address, patch] } : { op: '=', type: 'mailbox', address, detail: '', call: null });
        }
        break;
      }
      case 'alias':
      case 'group': {
        const before = knownAliases.get(address);
        const next = targets.join(',');
        const call: Step['call'] = row.type === 'alias' ? ['aliases.upsert', id, { address, targets }] : ['groups.upsert', id, { address, members: targets, ...(row.name ? { name: row.name } : {}) }];
        steps.push(before === next ? { op: '=', type: row.type, address, detail: '', call: null } : { op: before === undefined ? '+' : '~', type: row.type, address, detail: before === undefined ? `-> ${next}` : `${before} -> ${next}`, call });
        break;
      }
      case 'forward': {
        const current = knownBoxes.get(address);
        const keepCopy = /keep|copy|yes/i.test(row.name ?? '');
        const same = current && current.forwardTargets.join(',') === targets.join(',') && current.keepCopy === keepCopy;
        steps.push(same ? { op: '=', type: 'forward', address, detail: '', call: null } : { op: '~', type: 'forward', address, detail: `-> ${targets.join(',')}${keepCopy ? ' (keep a copy)' : ''}`, call: ['mailboxes.setForwarding', id, address, targets, keepCopy] });
        break;
      }
      default:
        throw new UsageError(`Unknown row type "${row.type}" for ${row.address}: domain, mailbox, alias, group or forward.`);
    }
  }
  return steps;
}
