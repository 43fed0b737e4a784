import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openDatabase, type Db } from '../../db/database.ts';
import type { ImapEndpoint } from '../../imap/imap-endpoint.ts';
import { describeEndpoint, parseEndpointUrl } from '../../migration/endpoint.ts';
import type { FolderRule } from '../../migration/folder-map.ts';
import { runMigration, type MigrationSummary } from '../../migration/migrate-job.ts';
import { StateStore } from '../../migration/state-store.ts';
import { presetFor, PRESET_NAMES } from '../../migration/presets.ts';
import type { ImapSettings } from '../../../shared/domain/connection.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emitError, table } from '../output.ts';
import { readSecret } from '../password-input.ts';

const OPTIONS = {
  source: { type: 'string' },
  target: { type: 'string' },
  'source-connection': { type: 'string' },
  'target-connection': { type: 'string' },
  plan: { type: 'string' },
  state: { type: 'string' },
  concurrency: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'no-verify': { type: 'boolean' },
  'source-password-file': { type: 'string' },
  'target-password-file': { type: 'string' },
  'source-auth': { type: 'string' },
  'target-auth': { type: 'string' },
  'source-pin': { type: 'string' },
  'target-pin': { type: 'string' },
  ca: { type: 'string' },
  map: { type: 'string', multiple: true },
  include: { type: 'string' },
  exclude: { type: 'string' },
  'target-preset': { type: 'string' },
  'max-size': { type: 'string' },
} as const;

/** `mailroom migrate`: copy mailboxes IMAP → IMAP, resumable, byte-exact, with a verification report. */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'copy mailboxes from one IMAP server to another (resumable, verified)',
  usage: `mailroom migrate --source imaps://USER@HOST[:PORT] --target imaps://USER@HOST[:PORT] [--state F.db] [--concurrency N]
                 (or --source-connection NAME / --target-connection NAME: a saved IMAP connection, password from the keychain)
                 [--dry-run] [--no-verify] [--map "Old/Name=New/Name"]... [--include RE] [--exclude RE]
                 [--source-pin SHA256] [--target-pin SHA256] [--ca CA.pem] [--target-preset ${PRESET_NAMES.join('|')}] [--json]
         imap://… means STARTTLS (required). Passwords: MAILROOM_SOURCE_PASSWORD / MAILROOM_TARGET_PASSWORD, or
         --source-password-file / --target-password-file. --source-auth xoauth2 takes an OAuth2 access token instead
         (MAILROOM_SOURCE_TOKEN or the password file). Never on the command line.
mailroom migrate --plan PAIRS.csv [options]   (columns: source,target[,source_password_file,target_password_file])`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, OPTIONS, true);
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"; passwords are never taken from the command line.`);
    for (const side of ['source', 'target'] as const) {
      if (values[`${side}-connection`] !== undefined && (values[side] !== undefined || values.plan !== undefined)) throw new UsageError(`--${side}-connection replaces --${side} and cannot be combined with it or with --plan.`);
    }
    const pairs = values.plan ? await readPairs(values.plan) : [{ source: values.source, target: values.target, sourceFile: undefined, targetFile: undefined }];
    const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new UsageError('--concurrency must be 1..32.');
    const preset = values['target-preset'] ? presetFor(values['target-preset']) : null;
    if (values['target-preset'] && !preset) throw new UsageError(`--target-preset must be one of ${PRESET_NAMES.join(', ')}.`);
    const rules = (values.map ?? []).map(parseRule);
    const ca = values.ca ? readFileSync(values.ca, 'utf8') : undefined;
    const db: Db = values.state ? openDatabase(values.state) : ctx.services().db;
    const started = performance.now();
    const total = { copied: 0, skipped: 0, failed: 0, bytes: 0 };
    let allComplete = true;
    try {
      for (const pair of pairs) {
        const source = values['source-connection'] !== undefined ? await savedEndpoint(ctx, 'source', values['source-connection'], values['source-pin'], ca) : await endpoint(ctx, 'source', pair.source, pair.sourceFile ?? values['source-password-file'], values['source-auth'], values['source-pin'], ca);
        const target = values['target-connection'] !== undefined ? await savedEndpoint(ctx, 'target', values['target-connection'], values['target-pin'], ca) : await endpoint(ctx, 'target', pair.target, pair.targetFile ?? values['target-password-file'], values['target-auth'], values['target-pin'], ca);
        const jobId = createHash('sha256').update(`${describeEndpoint(source)}→${describeEndpoint(target)}`).digest('hex').slice(0, 16);
        let last = 0;
        let shownCopied = 0;
        const summary = await runMigration({
          source,
          target,
          store: new StateStore(db, jobId),
          concurrency,
          dryRun: values['dry-run'] ?? false,
          verify: !(values['no-verify'] ?? false),
          rules,
          ...(values.include ? { include: new RegExp(values.include) } : {}),
          ...(values.exclude ? { exclude: new RegExp(values.exclude) } : {}),
          ...(preset ? { targetFlavor: preset.flavor } : {}),
          ...(preset?.maxMessageBytes ? { maxMessageBytes: preset.maxMessageBytes } : {}),
          ...(values['max-size'] ? { maxMessageBytes: Number(values['max-size']) } : {}),
          onProgress: (p) => {
            const now = performance.now();
            // At most two progress lines a second while copying, but the first one as soon as anything landed.
            const firstLanded = shownCopied === 0 && p.copied > 0;
            if (p.phase === 'copying' && now - last < 500 && !firstLanded) return;
            if (p.phase === 'copying') last = now;
            shownCopied = p.copied;
            if (ctx.json) ctx.io.stdout.write(JSON.stringify({ event: 'progress', job: jobId, ...p }) + '\n');
            else if (p.phase !== 'done') ctx.io.stderr.write(`[${p.phase}] ${p.foldersDone}/${p.foldersTotal} folders, ${p.copied} copied, ${p.skipped} skipped, ${p.failed} failed${p.folder ? ` (${p.folder})` : ''}\n`);
          },
        });
        report(ctx, jobId, source, target, summary);
        total.copied += summary.copied;
        total.skipped += summary.skipped;
        total.failed += summary.failed;
        total.bytes += summary.bytes;
        allComplete &&= summary.complete || (summary.dryRun && summary.error === null);
      }
    } finally {
      if (values.state) db.close();
    }
    const seconds = Math.round(performance.now() - started) / 1000;
    if (ctx.json) ctx.io.stdout.write(JSON.stringify({ ...total, seconds }) + '\n');
    else ctx.io.stdout.write(`${allComplete ? 'Complete' : 'NOT complete'}: ${total.copied} copied, ${total.skipped} skipped, ${total.failed} failed, ${total.bytes} bytes in ${seconds} s.\n`);
    return allComplete ? ExitCode.ok : ExitCode.failed;
  },
};

function report(ctx: CliContext, jobId: string, source: ImapEndpoint, target: ImapEndpoint, s: MigrationSummary): void {
  if (ctx.json) {
    ctx.io.stdout.write(
      JSON.stringify({
        event: 'report',
        job: jobId,
        source: describeEndpoint(source),
        target: describeEndpoint(target),
        complete: s.complete,
        dryRun: s.dryRun,
        pending: s.pending,
        error: s.error,
        folders: s.verification,
        skippedFolders: s.folders.filter((f) => f.skipReason).map((f) => ({ sourcePath: f.sourcePath, reason: f.skipReason })),
        failures: s.failures,
        warnings: s.warnings,
        reconnects: s.reconnects,
        quiet: s.quiet,
      }) + '\n',
    );
    return;
  }
  if (s.error) emitError(ctx, s.error);
  const out = ctx.io.stdout;
  out.write(`${describeEndpoint(source)} → ${describeEndpoint(target)}${s.dryRun ? ' (dry run)' : ''}\n`);
  out.write(
    table(
      ['SOURCE FOLDER', 'TARGET FOLDER', 'SOURCE', 'TARGET', 'COPIED', 'FAILED', 'MISSING', 'EXTRA'],
      s.verification.map((v) => [v.sourcePath, v.targetPath, String(v.sourceCount), String(v.targetCount), String(v.copied), String(v.failed), String(v.missing), String(v.extra)]),
    ) + '\n',
  );
  for (const f of s.folders.filter((x) => x.skipReason)) out.write(`skipped folder ${f.sourcePath}: ${f.skipReason}\n`);
  for (const f of s.failures) out.write(`failed ${f.sourcePath} UID ${f.uid} (${f.size} bytes) [${f.errorCode}]: ${f.errorMessage}\n`);
  for (const w of s.warnings) out.write(`warning: ${w}\n`);
}

async function endpoint(
  ctx: CliContext,
  side: 'source' | 'target',
  url: string | undefined,
  passwordFile: string | undefined,
  auth: string | undefined,
  pin: string | undefined,
  ca: string | undefined,
): Promise<ImapEndpoint> {
  if (!url) throw new UsageError(`--${side} is required (imaps://USER@HOST:PORT).`);
  const address = parseEndpointUrl(url);
  if (typeof address === 'string') throw new UsageError(`--${side}: ${address}`);
  const upper = side.toUpperCase();
  if (auth !== undefined && auth !== 'password' && auth !== 'xoauth2') throw new UsageError(`--${side}-auth must be password or xoauth2.`);
  const oauth = auth === 'xoauth2';
  const envName = oauth ? `MAILROOM_${upper}_TOKEN` : `MAILROOM_${upper}_PASSWORD`;
  const secret = await readSecret(ctx.io, {
    ...(passwordFile ? { file: passwordFile } : ctx.io.env[envName] ? { env: envName } : {}),
    prompt: `${oauth ? 'Access token' : 'Password'} for ${address.user}@${address.host}`,
  });
  return {
    ...address,
    auth: oauth ? { accessToken: secret } : { password: secret },
    ...(pin ? { pinnedFingerprint: pin } : {}),
    ...(ca ? { ca } : {}),
  };
}

// A saved IMAP connection (mailroom connections add …): its address, its pin, and its password from the keychain.
async function savedEndpoint(ctx: CliContext, side: 'source' | 'target', name: string, pin: string | undefined, ca: string | undefined): Promise<ImapEndpoint> {
  const connections = ctx.services().connections;
  const c = connections.find(name);
  if (!c) throw new UsageError(`--${side}-connection: no saved connection "${name}" (see \`mailroom connections list\`).`);
  if (c.kind !== 'imap') throw new UsageError(`--${side}-connection: "${c.name}" is a ${c.kind} connection; migrations copy over IMAP.`);
  const settings = c.settings as unknown as ImapSettings;
  const password = await connections.secretOf(c.id);
  if (password === null) throw new UsageError(`--${side}-connection: the keychain holds no password for "${c.name}"; add the connection again.`);
  const pinned = pin ?? settings.pinnedFingerprint;
  return { host: settings.host, port: settings.port, tls: settings.tls, user: settings.user, auth: { password }, ...(pinned ? { pinnedFingerprint: pinned } : {}), ...(ca ? { ca } : {}) };
}

function parseRule(text: string): FolderRule {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--map needs "Source/Path=Target/Path", not "${text}".`);
  return { from: text.slice(0, at), to: text.slice(at + 1) };
}

async function readPairs(file: string): Promise<{ source: string; target: string; sourceFile: string | undefined; targetFile: string | undefined }[]> {
  const { parse: parseCsv } = await import('csv-parse/sync');
  const rows = parseCsv(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  if (rows.length === 0) throw new UsageError(`${file} has no mailbox pairs.`);
  return rows.map((r, i) => {
    if (!r['source'] || !r['target']) throw new UsageError(`${file} row ${i + 2}: source and target columns are required.`);
    return { source: r['source'], target: r['target'], sourceFile: r['source_password_file'] || undefined, targetFile: r['target_password_file'] || undefined };
  });
}
