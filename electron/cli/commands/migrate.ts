import { memoryMbFromEnv } from '../../migration/memory-budget.ts';
import { readFileSync } from 'node:fs';
import { err, ok, type AppError, type Result } from '../../../shared/errors/result.ts';
import type { MigrationPresetName } from '../../../shared/domain/migration.ts';
import type { CopyMailboxInput, CopyMailboxOptions, CopyMailboxProgress, CopyMailboxReport, CopyMailboxSide } from '../../../shared/domain/migration-copy.ts';
import type { ImapSettings } from '../../../shared/domain/connection.ts';
import type { Db } from '../../db/database.ts';
import type { ImapEndpoint } from '../../imap/imap-endpoint.ts';
import { parseEndpointUrl } from '../../migration/endpoint.ts';
import { closeSessions, startSessions } from '../../migration/early-sessions.ts';
import { loadCopyEngine } from '../../migration/engine-load.ts';
import { presetFor, PRESET_NAMES } from '../../migration/presets.ts';
import { parse } from '../args.ts';
import { readCsvRecords } from '../csv-file.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emitError, table } from '../output.ts';
import { readSecret } from '../password-input.ts';
import { davChoice } from './migrate-dav-choice.ts';

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
  'sync-deletions': { type: 'boolean' },
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
  'gmail-labels': { type: 'string' },
  'include-shared': { type: 'boolean' },
  'source-dav': { type: 'string' },
  'target-dav': { type: 'string' },
  calendars: { type: 'boolean' },
  contacts: { type: 'boolean' },
  'no-calendars': { type: 'boolean' },
  'no-contacts': { type: 'boolean' },
  fleet: { type: 'string' },
  'fleet-key': { type: 'string' },
  'queue-prefix': { type: 'string' },
} as const;

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

/** One mailbox pair as the command line or a --plan CSV gives it. */
interface Pair {
  readonly source: string | undefined;
  readonly target: string | undefined;
  readonly sourceFile: string | undefined;
  readonly targetFile: string | undefined;
  readonly sourceDav: string | undefined;
  readonly targetDav: string | undefined;
}

// Copies one pair and resolves with its report: through the router (journaled), or on a --state file.
type Copier = (source: CopyMailboxSide, target: CopyMailboxSide, onProgress: (p: CopyMailboxProgress) => void) => Promise<Result<CopyMailboxReport>>;

/**
 * `mailroom migrate`: copy mailboxes IMAP → IMAP, resumable, byte-exact, with a verification report.
 * Each pair is the migration service's copyMailbox, under the same job id as a console batch of that
 * pair; without --state it runs through the router and is journaled. With --state FILE the state
 * lives in that file, apart from the app's data, and the engine runs in-process without the app.
 */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'copy mailboxes from one IMAP server to another (resumable, verified)',
  usage: `mailroom migrate --source imaps://USER@HOST[:PORT] --target imaps://USER@HOST[:PORT] [--state F.db|postgres://…] [--concurrency N]
                 (or --source-connection NAME / --target-connection NAME: a saved IMAP connection, password from the keychain or vault file)
                 [--dry-run] [--no-verify] [--sync-deletions] [--map "Old/Name=New/Name"]... [--include RE] [--exclude RE] [--include-shared]
                 [--source-pin SHA256] [--target-pin SHA256] [--ca CA.pem] [--target-preset ${PRESET_NAMES.join('|')}] [--json]
                 [--gmail-labels folders|keywords|per-label]   Gmail source: each message once from All Mail, its labels as
                   folders (default) or keywords (\\Inbox → INBOX, \\Sent → Sent, \\Draft → Drafts, \\Starred → \\Flagged,
                   \\Important → $Important, no user label → Archive); per-label copies every label folder on its own
         imap://… means STARTTLS (required). Passwords: MAILROOM_SOURCE_PASSWORD / MAILROOM_TARGET_PASSWORD, or
         --source-password-file / --target-password-file. --source-auth xoauth2 takes an OAuth2 access token instead
         (MAILROOM_SOURCE_TOKEN or the password file). Never on the command line.
                 [--source-dav https://[USER@]HOST/ --target-dav URL] [--no-calendars] [--no-contacts] [--calendars|--contacts]
         With DAV URLs on both sides, the pair's calendars and address books follow its mail (both kinds unless one is
         named); DAV logs in as the URL's user, else the IMAP user, with that side's IMAP password. A DAV side may
         also be google:CONNECTION/user@domain or m365:CONNECTION/user@domain (see migrate dav).
mailroom migrate --plan PAIRS.csv [options]   (columns: source,target[,source_password_file,target_password_file,source_dav,target_dav])
mailroom migrate --plan PAIRS.csv --fleet redis[s]://HOST[:PORT] --fleet-key FLEET.key.pub --state sqlite:/path/state.db [options]
         Runs the batch on \`mailroom worker\` processes: one BullMQ job per pair, credentials sealed to the fleet key;
         follows it to the end with the same report and exit codes. Redis password: MAILROOM_REDIS_PASSWORD.
mailroom migrate verify [the same options]    copy nothing; compare every copied message of the job again, by content
         Only the personal namespace is copied; --include-shared copies other users' and shared folders too.
         Each copied message is verified by the SHA-1 of its bytes on both sides (the target's FETCH DIGEST.SHA1
         when offered, else its copy read back); a difference is a failed message with the reason.
mailroom migrate dav --source SIDE --target SIDE [--calendars] [--contacts] [--state F.db] [--json]
         SIDE: https://USER@HOST[:PORT][/PATH] (CalDAV/CardDAV), google:CONNECTION/user@domain (Calendar and
         People APIs through the saved connection's delegation) or m365:CONNECTION/user@domain (Graph);
         what a side cannot hold is converted by a stated rule, listed per collection.
         Copies the account's calendars (events, tasks) and address books, found through /.well-known/caldav
         and /.well-known/carddav; both kinds unless one is named. Items keep their UIDs, each is read back and
         compared; a re-run copies only what changed. http:// only for loopback hosts. Passwords:
         MAILROOM_SOURCE_PASSWORD / MAILROOM_TARGET_PASSWORD or --source-password-file / --target-password-file.`,
  async run(argv, ctx) {
    if (argv[0] === 'dav') return (await import('./migrate-dav.ts')).runMigrateDav(argv.slice(1), ctx);
    const { values, positionals: words } = parse(argv, OPTIONS, true);
    const verifyOnly = words[0] === 'verify';
    const positionals = verifyOnly ? words.slice(1) : words;
    if (verifyOnly && (values['no-verify'] || values['dry-run'])) throw new UsageError('migrate verify only verifies: --no-verify and --dry-run do not apply.');
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"; passwords are never taken from the command line.`);
    for (const side of ['source', 'target'] as const) {
      if (values[`${side}-connection`] !== undefined && (values[side] !== undefined || values.plan !== undefined)) throw new UsageError(`--${side}-connection replaces --${side} and cannot be combined with it or with --plan.`);
    }
    const pairs: Pair[] = values.plan ? await readPairs(values.plan) : [{ source: values.source, target: values.target, sourceFile: undefined, targetFile: undefined, sourceDav: values['source-dav'], targetDav: values['target-dav'] }];
    // Calendars and contacts bring tsdav, ical.js and the Google and Microsoft clients: loaded only for a pair that names a DAV side.
    const pairDav = pairs.some((p) => p.sourceDav || p.targetDav) ? await import('./migrate-pair-dav.ts') : null;
    for (const [i, p] of pairs.entries()) await pairDav?.checkPairDav(ctx, values.plan ? `${values.plan} row ${i + 2}` : '--source-dav/--target-dav', p.sourceDav, p.targetDav);
    const dav = davChoice(values);
    if ((values.calendars || values.contacts) && !pairs.some((p) => p.sourceDav)) throw new UsageError('--calendars/--contacts need DAV URLs: --source-dav and --target-dav, or source_dav,target_dav columns.');
    const options = { ...copyOptions(values), ...(verifyOnly ? { verifyOnly: true } : {}) };
    const ca = values.ca ? readFileSync(values.ca, 'utf8') : undefined;
    const started = performance.now();
    if (values.fleet !== undefined) {
      if (pairs.some((p) => p.sourceDav) || verifyOnly) throw new UsageError('--fleet copies mail only: no DAV columns and no verify.');
      const endpoints = [];
      for (const pair of pairs) {
        const source = await endpointOf(ctx, 'source', await side(ctx, 'source', values, pair.source, pair.sourceFile), ca);
        endpoints.push({ source, target: await endpointOf(ctx, 'target', await side(ctx, 'target', values, pair.target, pair.targetFile), ca) });
      }
      const { runOnFleet } = await import('./migrate-fleet.ts');
      const totals = new Totals();
      for (const copied of await runOnFleet(ctx, { redis: values.fleet, state: values.state, key: values['fleet-key'], prefix: values['queue-prefix'] }, endpoints, options, progressPrinter(ctx))) {
        if (copied.ok) totals.add(ctx, copied.value);
        else totals.fail(ctx, copied.error);
      }
      return totals.finish(ctx, started);
    }
    const shared = values.state !== undefined && /^postgres(ql)?:\/\//i.test(values.state);
    if (shared && pairs.some((p) => p.sourceDav)) throw new UsageError('--state postgres://… keeps mail state only; copy calendars and contacts with a --state file.');
    if (shared) {
      const { checkStateUrl, StateUrlError } = await import('../../fleet/job-state.ts');
      try {
        checkStateUrl(values.state!);
      } catch (error) {
        throw error instanceof StateUrlError ? new UsageError(error.message) : error;
      }
    }
    const copier = shared ? sharedStateCopier(ctx, values.state!, options, ca) : values.state ? stateFileCopier(ctx, values.state, options, ca) : routerCopier(ctx, options, ca);
    const totals = new Totals();
    try {
      for (const pair of pairs) {
        const source = await side(ctx, 'source', values, pair.source, pair.sourceFile);
        const target = await side(ctx, 'target', values, pair.target, pair.targetFile);
        const copied = await copier.copy(source, target, progressPrinter(ctx));
        if (!copied.ok) {
          emitError(ctx, copied.error);
          return copied.error.code === 'input.invalid' ? ExitCode.usage : ExitCode.failed;
        }
        const report = copied.value;
        totals.add(ctx, report);
        // Calendars and contacts follow the pair's mail, unless this run only looks or only verifies.
        if (pairDav && pair.sourceDav && pair.targetDav && (dav.calendars || dav.contacts) && !report.dryRun && !verifyOnly) {
          totals.allComplete = (await pairDav.copyPairDavCli(ctx, values.state, { source: pair.sourceDav, target: pair.targetDav }, { source, target }, dav)) && totals.allComplete;
        }
      }
    } finally {
      copier.close();
    }
    return totals.finish(ctx, started);
  },
};

// The batch's sums and its last line, the same for pairs copied here and on a fleet.
class Totals {
  readonly total = { copied: 0, skipped: 0, failed: 0, bytes: 0 };
  allComplete = true;

  add(ctx: CliContext, report: CopyMailboxReport): void {
    print(ctx, report);
    this.total.copied += report.copied;
    this.total.skipped += report.skipped;
    this.total.failed += report.failed;
    this.total.bytes += report.bytes;
    this.allComplete &&= report.complete || (report.dryRun && report.error === null);
  }

  fail(ctx: CliContext, error: AppError): void {
    emitError(ctx, error);
    this.allComplete = false;
  }

  finish(ctx: CliContext, started: number): number {
    const { total, allComplete } = this;
    const seconds = Math.round(performance.now() - started) / 1000;
    if (ctx.json) ctx.io.stdout.write(JSON.stringify({ ...total, seconds }) + '\n');
    else ctx.io.stdout.write(`${allComplete ? 'Complete' : 'NOT complete'}: ${total.copied} copied, ${total.skipped} skipped, ${total.failed} failed, ${total.bytes} bytes in ${seconds} s.\n`);
    return allComplete ? ExitCode.ok : ExitCode.failed;
  }
}

function copyOptions(values: Values): CopyMailboxOptions {
  try {
    memoryMbFromEnv();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new UsageError('--concurrency must be 1..32.');
  const preset = values['target-preset'] ? presetFor(values['target-preset']) : null;
  if (values['target-preset'] && !preset) throw new UsageError(`--target-preset must be one of ${PRESET_NAMES.join(', ')}.`);
  const maxSize = values['max-size'] === undefined ? undefined : Number(values['max-size']);
  if (maxSize !== undefined && !(Number.isInteger(maxSize) && maxSize > 0)) throw new UsageError('--max-size must be a number of bytes.');
  for (const flag of ['include', 'exclude'] as const) if (values[flag] !== undefined) checkPattern(flag, values[flag]);
  const gmailLabels = values['gmail-labels'];
  if (gmailLabels !== undefined && gmailLabels !== 'folders' && gmailLabels !== 'keywords' && gmailLabels !== 'per-label') throw new UsageError('--gmail-labels must be folders, keywords or per-label.');
  return {
    concurrency,
    dryRun: values['dry-run'] ?? false,
    verify: !(values['no-verify'] ?? false),
    syncDeletions: values['sync-deletions'] ?? false,
    rules: (values.map ?? []).map(parseRule),
    ...(values.include ? { include: values.include } : {}),
    ...(values.exclude ? { exclude: values.exclude } : {}),
    ...(preset ? { targetPreset: preset.name as MigrationPresetName } : {}),
    ...(maxSize ? { maxMessageBytes: maxSize } : {}),
    ...(gmailLabels ? { gmailLabels } : {}),
    ...(values['include-shared'] ? { includeShared: true } : {}),
  };
}

// Without --state: migration.copyMailbox through the router, so the copy is journaled like any change from the console.
function routerCopier(ctx: CliContext, options: CopyMailboxOptions, ca: string | undefined): { copy: Copier; close: () => void } {
  return {
    async copy(source, target, onProgress) {
      const off = ctx.services().events.on('migration.copyProgress', onProgress);
      try {
        const input: CopyMailboxInput = { ...options, source, target, ...(ca ? { ca } : {}) };
        return await ctx.api.migration.copyMailbox(input);
      } finally {
        off();
      }
    },
    close: () => undefined,
  };
}

// With --state FILE: the engine on that database, in this process, without the app or the keychain; not
// journaled. Both raw logins start once the endpoints are known, before the database opens and the engine
// loads (in parts, so they advance meanwhile); what the run did not take is logged out of here.
function stateFileCopier(ctx: CliContext, file: string, options: CopyMailboxOptions, ca: string | undefined): { copy: Copier; close: () => void } {
  let db: Db | null = null;
  return {
    async copy(source, target, onProgress) {
      const endpoints = { source: await endpointOf(ctx, 'source', source, ca), target: await endpointOf(ctx, 'target', target, ca) };
      const early = options.dryRun ? undefined : startSessions(endpoints.source, endpoints.target);
      try {
        const engine = await loadCopyEngine();
        db ??= await engine.openCurrentStateDatabase(file);
        return ok(await engine.copyMailbox(db, endpoints, options, { onProgress, ...(early ? { early } : {}) }));
      } finally {
        if (early) await closeSessions(early);
      }
    },
    close: () => db?.close(),
  };
}

// With --state postgres://…: the job's state shared in PostgreSQL (as fleet workers keep it), made durable before every APPEND.
function sharedStateCopier(ctx: CliContext, url: string, options: CopyMailboxOptions, ca: string | undefined): { copy: Copier; close: () => void } {
  return {
    async copy(source, target, onProgress) {
      const endpoints = { source: await endpointOf(ctx, 'source', source, ca), target: await endpointOf(ctx, 'target', target, ca) };
      const [{ openJobState }, { copyMailbox, jobIdOf }] = await Promise.all([import('../../fleet/job-state.ts'), import('../../migration/mailbox-copy.ts')]);
      const state = await openJobState(url, jobIdOf(endpoints.source, endpoints.target)).catch((error: unknown) => (error as Error).message);
      if (typeof state === 'string') return err('backend.unavailable', state, { retryable: true });
      try {
        return ok(await copyMailbox(state, endpoints, options, { onProgress }));
      } finally {
        // A write that cannot be made durable was already reported by the run (its last durable() step).
        await state.close().catch(() => undefined);
      }
    },
    close: () => undefined,
  };
}

// A --state run resolves saved connections itself (their passwords from the keychain, through the app services).
async function endpointOf(ctx: CliContext, name: 'source' | 'target', s: CopyMailboxSide, ca: string | undefined): Promise<ImapEndpoint> {
  if ('url' in s) {
    const address = parseEndpointUrl(s.url) as Exclude<ReturnType<typeof parseEndpointUrl>, string>;
    return { ...address, auth: s.auth === 'xoauth2' ? { accessToken: s.secret } : { password: s.secret }, ...(s.pin ? { pinnedFingerprint: s.pin } : {}), ...(ca ? { ca } : {}) };
  }
  const connections = ctx.services().connections;
  const settings = connections.find(s.connectionId)!.settings as unknown as ImapSettings;
  const password = await connections.secretOf(s.connectionId);
  if (password === null) throw new UsageError(`--${name}-connection: ${ctx.secretStore} holds no password; add the connection again.`);
  const pinned = s.pin ?? settings.pinnedFingerprint;
  return { host: settings.host, port: settings.port, tls: settings.tls, user: settings.user, auth: { password }, ...(pinned ? { pinnedFingerprint: pinned } : {}), ...(ca ? { ca } : {}) };
}

// One side as the command line names it: a saved connection, or a URL with its secret read now.
async function side(ctx: CliContext, name: 'source' | 'target', values: Values, url: string | undefined, passwordFile: string | undefined): Promise<CopyMailboxSide> {
  const pin = values[`${name}-pin`];
  const saved = values[`${name}-connection`];
  if (saved !== undefined) {
    const connections = ctx.services().connections;
    const c = connections.find(saved);
    if (!c) throw new UsageError(`--${name}-connection: no saved connection "${saved}" (see \`mailroom connections list\`).`);
    if (c.kind !== 'imap') throw new UsageError(`--${name}-connection: "${c.name}" is a ${c.kind} connection; migrations copy over IMAP.`);
    if ((await connections.secretOf(c.id)) === null) throw new UsageError(`--${name}-connection: ${ctx.secretStore} holds no password for "${c.name}"; add the connection again.`);
    return { connectionId: c.id, ...(pin ? { pin } : {}) };
  }
  if (!url) throw new UsageError(`--${name} is required (imaps://USER@HOST:PORT).`);
  const address = parseEndpointUrl(url);
  if (typeof address === 'string') throw new UsageError(`--${name}: ${address}`);
  const auth = values[`${name}-auth`];
  if (auth !== undefined && auth !== 'password' && auth !== 'xoauth2') throw new UsageError(`--${name}-auth must be password or xoauth2.`);
  const oauth = auth === 'xoauth2';
  const envName = `MAILROOM_${name.toUpperCase()}_${oauth ? 'TOKEN' : 'PASSWORD'}`;
  const file = passwordFile ?? values[`${name}-password-file`];
  const secret = await readSecret(ctx.io, {
    ...(file ? { file } : ctx.io.env[envName] ? { env: envName } : {}),
    prompt: `${oauth ? 'Access token' : 'Password'} for ${address.user}@${address.host}`,
  });
  return { url, secret, ...(oauth ? { auth: 'xoauth2' as const } : {}), ...(pin ? { pin } : {}) };
}

// At most two progress lines a second while copying, but the first one as soon as anything landed.
function progressPrinter(ctx: CliContext): (p: CopyMailboxProgress) => void {
  let last = 0;
  let shownCopied = 0;
  return ({ jobId, ...p }) => {
    const now = performance.now();
    const firstLanded = shownCopied === 0 && p.copied > 0;
    if (p.phase === 'copying' && now - last < 500 && !firstLanded) return;
    if (p.phase === 'copying') last = now;
    shownCopied = p.copied;
    if (ctx.json) ctx.io.stdout.write(JSON.stringify({ event: 'progress', job: jobId, ...p }) + '\n');
    else if (p.phase === 'checking') ctx.io.stderr.write(`[checking] ${p.checked ?? 0}/${p.checkTotal ?? 0} copies compared by content, ${p.failed} failed\n`);
    else if (p.phase !== 'done') ctx.io.stderr.write(`[${p.phase}] ${p.foldersDone}/${p.foldersTotal} folders, ${p.copied} copied, ${p.skipped} skipped, ${p.failed} failed${p.folder ? ` (${p.folder})` : ''}\n`);
  };
}

function print(ctx: CliContext, s: CopyMailboxReport): void {
  if (ctx.json) {
    const { jobId, source, target, complete, dryRun, pending, error, folders, skippedFolders, failures, warnings, reconnects, quiet, passes, content } = s;
    ctx.io.stdout.write(JSON.stringify({ event: 'report', job: jobId, source, target, complete, dryRun, pending, error, folders, skippedFolders, failures, warnings, reconnects, quiet, passes: passes ?? [], content }) + '\n');
    return;
  }
  if (s.error) emitError(ctx, s.error);
  const out = ctx.io.stdout;
  out.write(`${s.source} → ${s.target}${s.dryRun ? ' (dry run)' : ''}\n`);
  out.write(
    table(
      ['SOURCE FOLDER', 'TARGET FOLDER', 'SOURCE', 'TARGET', 'COPIED', 'FAILED', 'MISSING', 'EXTRA'],
      s.folders.map((v) => [v.sourcePath, v.targetPath, String(v.sourceCount), String(v.targetCount), String(v.copied), String(v.failed), String(v.missing), String(v.extra)]),
    ) + '\n',
  );
  const c = s.content;
  if (c) out.write(`verified by content (${c.method === 'digest' ? "the target's SHA-1 digests" : c.method === 'reread' ? 'the target read back' : 'nothing to compare'}): ${c.checked} same, ${c.differed} different, ${c.unchecked} not comparable\n`);
  for (const f of s.skippedFolders) out.write(`skipped folder ${f.sourcePath}: ${f.reason}\n`);
  for (const p of s.passes ?? []) if (p.path !== 'unchanged') out.write(`${p.sourcePath}: ${describePass(p)}\n`);
  for (const f of s.failures) out.write(`failed ${f.sourcePath} UID ${f.uid} (${f.size} bytes) [${f.errorCode}]: ${f.errorMessage}\n`);
  for (const w of s.warnings) out.write(`warning: ${w}\n`);
}

function describePass(p: NonNullable<CopyMailboxReport['passes']>[number]): string {
  if (p.path === 'uid-scan') return `UID scan (${p.reason ?? 'no delta'}): new mail only`;
  return `delta since the last pass: ${p.flagsUpdated} flag change(s), ${p.vanished} expunged on the source, ${p.expunged} expunged on the target${p.unmatched ? `, ${p.unmatched} not applied` : ''}`;
}

function checkPattern(flag: string, text: string): void {
  try {
    new RegExp(text);
  } catch (error) {
    throw new UsageError(`--${flag}: ${(error as Error).message}`);
  }
}

function parseRule(text: string): { from: string; to: string } {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--map needs "Source/Path=Target/Path", not "${text}".`);
  return { from: text.slice(0, at), to: text.slice(at + 1) };
}

async function readPairs(file: string): Promise<Pair[]> {
  const rows = await readCsvRecords(file, 'mailbox pairs (source,target)');
  if (rows.length === 0) throw new UsageError(`${file} has no mailbox pairs.`);
  return rows.map((r, i) => {
    if (!r['source'] || !r['target']) throw new UsageError(`${file} row ${i + 2}: source and target columns are required.`);
    return { source: r['source'], target: r['target'], sourceFile: r['source_password_file'] || undefined, targetFile: r['target_password_file'] || undefined, sourceDav: r['source_dav'] || undefined, targetDav: r['target_dav'] || undefined };
  });
}
