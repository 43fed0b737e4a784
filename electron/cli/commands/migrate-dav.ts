import type { DavCopyProgress, DavCopyReport } from '../../../shared/domain/dav.ts';
import { appError } from '../../../shared/errors/result.ts';
import { openDatabase } from '../../db/database.ts';
import { openSavedCloudSide, parseCloudSide } from '../../dav/cloud-side.ts';
import { DavConnectError, openDavAccount, type DavAccount } from '../../dav/dav-client.ts';
import { bothOrSourceError, copyAccounts } from '../../dav/dav-job.ts';
import { davUrlProblem } from '../../dav/dav-url.ts';
import type { DavEndpoint } from '../../dav/dav-client.ts';
import { dataFiles } from '../../platform/paths.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emitError, table } from '../output.ts';
import { readSecret } from '../password-input.ts';

const OPTIONS = {
  source: { type: 'string' },
  target: { type: 'string' },
  calendars: { type: 'boolean' },
  contacts: { type: 'boolean' },
  state: { type: 'string' },
  'source-password-file': { type: 'string' },
  'target-password-file': { type: 'string' },
} as const;

/**
 * `mailroom migrate dav` on its own: the CLI loads this module instead of the mail migrate command (IMAP, fleet and
 * plan modules), which `migrate dav` never uses. Its usage is part of `mailroom migrate --help`.
 */
export const migrateDavCommand: CliCommand = {
  name: 'migrate',
  summary: 'copy an account\'s calendars and contacts (resumable, verified)',
  usage: 'mailroom migrate dav --source SIDE --target SIDE [--calendars] [--contacts] [--state F.db] [--json]   (see mailroom migrate --help)',
  run: (argv, ctx) => runMigrateDav(argv.slice(1), ctx),
};

/** `mailroom migrate dav`: one account's calendars and contacts, resumable and verified. */
export async function runMigrateDav(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, true);
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"; passwords are never taken from the command line.`);
  const both = !values.calendars && !values.contacts;
  const source = await account(ctx, 'source', values.source, values['source-password-file']);
  const target = await account(ctx, 'target', values.target, values['target-password-file']);
  const db = openDatabase(values.state ?? dataFiles(ctx.dataDir).database);
  const cancel = new AbortController();
  const stop = (): void => cancel.abort();
  process.once('SIGINT', stop);
  try {
    const [sourceAccount, targetAccount] = await bothOrSourceError(source(), target());
    const report = await copyAccounts(db, { source: sourceAccount, target: targetAccount }, { calendars: both || !!values.calendars, contacts: both || !!values.contacts, signal: cancel.signal, onProgress: progressPrinter(ctx) });
    printDavReport(ctx, report);
    return report.complete ? ExitCode.ok : ExitCode.failed;
  } catch (error) {
    if (error instanceof DavConnectError) {
      emitError(ctx, appError(error.reason === 'auth' ? 'backend.auth' : 'backend.unavailable', error.message));
      return ExitCode.failed;
    }
    if (cancel.signal.aborted) {
      emitError(ctx, appError('cancelled', 'Stopped; run the same command again to resume where it stopped.'));
      return ExitCode.failed;
    }
    throw error;
  } finally {
    process.off('SIGINT', stop);
    db.close();
  }
}

// A side checked now and opened once the copy starts: a DAV URL (its password read now) or a saved Google/Microsoft 365 connection's user.
async function account(ctx: CliContext, name: 'source' | 'target', text: string | undefined, file: string | undefined): Promise<() => Promise<DavAccount>> {
  if (!text) throw new UsageError(`--${name} is required (https://USER@HOST[:PORT]/, google:CONNECTION/user@domain or m365:CONNECTION/user@domain).`);
  const cloud = await cloudAccount(ctx, `--${name}`, text);
  if (cloud) return async () => cloud;
  const endpoint = await davEndpoint(ctx, name, text, file);
  return () => openDavAccount(endpoint);
}

/** The account a google:CONNECTION/user or m365:CONNECTION/user side names (its secret from the keychain or vault file); null for a DAV URL. */
export async function cloudAccount(ctx: CliContext, where: string, text: string): Promise<DavAccount | null> {
  const cloud = parseCloudSide(text);
  if (typeof cloud === 'string') throw new UsageError(`${where}: ${cloud}`);
  if (!cloud) return null;
  const opened = await openSavedCloudSide(ctx.services().connections, cloud, ctx.secretStore);
  if (typeof opened === 'string') throw new UsageError(`${where}: ${opened}`);
  return opened;
}

async function davEndpoint(ctx: CliContext, name: 'source' | 'target', text: string, file: string | undefined): Promise<DavEndpoint> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--${name}: "${text}" is not a URL like https://user@dav.example.com/`);
  }
  if (url.password) throw new UsageError(`--${name}: a password in the URL is not accepted; use the environment variable or a password file.`);
  const problem = davUrlProblem(text);
  if (problem) throw new UsageError(`--${name}: ${problem}`);
  const user = decodeURIComponent(url.username);
  if (!user) throw new UsageError(`--${name}: the URL needs a user name: ${url.protocol}//USER@${url.host}/`);
  const envName = `MAILROOM_${name.toUpperCase()}_PASSWORD`;
  const password = await readSecret(ctx.io, { ...(file ? { file } : ctx.io.env[envName] ? { env: envName } : {}), prompt: `Password for ${user}@${url.host}` });
  url.username = '';
  return { url: url.href, user, password };
}

// At most two progress lines a second.
function progressPrinter(ctx: CliContext): (p: DavCopyProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 500) return;
    last = now;
    if (ctx.json) ctx.io.stdout.write(JSON.stringify({ event: 'progress', ...p }) + '\n');
    else ctx.io.stderr.write(`[${p.collectionsDone + 1}/${p.collectionsTotal}] ${p.collection}: ${p.copied} copied, ${p.unchanged} unchanged, ${p.failed} failed\n`);
  };
}

/** Prints a DAV copy report: one JSON line, or a table per collection with failures and totals. */
export function printDavReport(ctx: CliContext, r: DavCopyReport): void {
  if (ctx.json) {
    ctx.io.stdout.write(JSON.stringify({ event: 'report', ...r }) + '\n');
    return;
  }
  const out = ctx.io.stdout;
  out.write(`${r.source} → ${r.target}\n`);
  out.write(
    table(
      ['KIND', 'COLLECTION', 'SOURCE', 'COPIED', 'UNCHANGED', 'FAILED', 'TARGET'],
      r.collections.map((c) => [c.kind, c.sourceName, String(c.sourceCount), String(c.copied), String(c.unchanged), String(c.failed), c.skippedByChangeTag ? `${c.targetUrl} (no change since the last pass)` : c.targetUrl]),
    ) + '\n',
  );
  for (const c of r.collections) for (const x of c.conversions ?? []) out.write(`converted ${c.sourceName} ${x.field} (${x.items} item${x.items === 1 ? '' : 's'}): ${x.rule}\n`);
  for (const f of r.failures) out.write(`failed ${f.collection} ${f.uid}: ${f.reason}\n`);
  for (const w of r.warnings) out.write(`warning: ${w}\n`);
  const totals = r.collections.reduce((t, c) => ({ copied: t.copied + c.copied, unchanged: t.unchanged + c.unchanged, failed: t.failed + c.failed }), { copied: 0, unchanged: 0, failed: 0 });
  out.write(`${r.complete ? 'Complete' : 'NOT complete'}: ${totals.copied} copied, ${totals.unchanged} unchanged, ${totals.failed} failed.\n`);
}
