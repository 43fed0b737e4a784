import { type AppError, appError } from '../../shared/errors/result.ts';
import type { CopyMailboxProgress, MigrationFolderPass, MigrationRunTotals } from '../../shared/domain/migration-copy.ts';
import { classifyImapError } from '../backends/imap/imap-errors.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { stallOf } from '../imap/pipeline.ts';
import { describeEndpoint } from './endpoint.ts';
import type { EarlySessions } from './early-sessions.ts';
import { FetcherPool } from './fetcher-pool.ts';
import { ConnectionCap, CONNECTIONS_PER_SIDE } from './connection-cap.ts';
import { accountConnections, type AccountShare } from './account-connections.ts';
import { renameWarnings, type FolderMapping, type FolderRule, type TargetLayout } from './folder-map.ts';
import type { CopyContext } from './folder-copier.ts';
import { changeSupport, RunDeltas, type FolderTally } from './delta-run.ts';
import { unchangedSince } from './folder-status.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { MessageState, StateStore } from './state-store.ts';
import { TargetPool, TargetUnavailable } from './target-pool.ts';
import { countVerification, type FolderVerification } from './verify.ts';
import type { ContentCheckResult } from './content-verify.ts';
import { probeSource, targetCounts, type SourceProbe } from './quiet-check.ts';
import { ClientHolder, durableStep, Fatal, isImapFailure } from './run-clients.ts';

const CANCELLED = 'The run was cancelled; it resumes where it stopped.';
// How long uploads already sent may take to be answered after a pause or cancel.
const ABORT_GRACE_MS = 3_000;
// Marked folders of at least this many messages are read by a QRESYNC EXAMINE in the quiet check.
const EXAMINE_FROM = 5_000;

/** Everything a run needs; secrets are inside the endpoints' auth and never stored. */
export interface MigrateOptions {
  readonly source: ImapEndpoint;
  readonly target: ImapEndpoint;
  readonly store: StateStore;
  /** Upload connections to the target (default 4). */
  readonly concurrency?: number;
  /** Raw source connections, one folder each at a time (default min(6, folders with changes)). */
  readonly sourceConnections?: number;
  /** Connections the run holds on each side at most, of every kind (default 10, Dovecot's mail_max_userip_connections). */
  readonly connectionsPerSide?: number;
  readonly dryRun?: boolean;
  readonly rules?: readonly FolderRule[];
  readonly include?: RegExp;
  readonly exclude?: RegExp;
  /** Largest message the target takes, when known from the provider preset; APPENDLIMIT wins. */
  readonly maxMessageBytes?: number;
  readonly targetFlavor?: TargetLayout['flavor'];
  /** Gmail source: each message once from All Mail, labels to folders (default; 'once' is the same) or keywords; or once per label folder. */
  readonly gmailLabels?: 'once' | 'folders' | 'keywords' | 'per-label';
  /** Compare target and source message by message at the end, by key and by content (content-verify.ts). */
  readonly verify?: boolean;
  /** Expunge on the target what the source expunged since the last pass (needs QRESYNC on the source; default false). */
  readonly syncDeletions?: boolean;
  /** Copy nothing: verify an earlier run's copies again, every one by content. */
  readonly verifyOnly?: boolean;
  /** Copy other users' and shared namespaces too (default: the personal namespace only, RFC 2342). */
  readonly includeShared?: boolean;
  /** Marked folders of at least this many messages are read by a QRESYNC EXAMINE in the quiet check (default 5,000). */
  readonly examineFrom?: number;
  readonly onProgress?: (p: MigrationProgressEvent) => void;
  readonly signal?: AbortSignal;
  /** Makes the store's writes so far durable where they are shared (fleet/pg-job-state.ts); awaited before each APPEND is sent and at the end. */
  readonly durable?: () => Promise<void>;
  /** Raw sessions started before the run (early-sessions.ts): its first source connection and its target connection. */
  readonly early?: EarlySessions;
  /** The run's places in the process-wide count of each side's account (account-connections.ts), when its caller keeps that count (a batch); else this thread's. */
  readonly accounts?: { readonly source: AccountShare | undefined; readonly target: AccountShare | undefined };
}

/** A progress sample: totals for the run so far (what `migration.copyProgress` carries, without the job). */
export type MigrationProgressEvent = Omit<CopyMailboxProgress, 'jobId'>;

/** The outcome of a run. `complete` is true only when every source message is on the target. */
export interface MigrationSummary extends MigrationRunTotals {
  readonly folders: readonly FolderMapping[];
  readonly verification: readonly FolderVerification[];
  readonly failures: readonly { sourcePath: string; uid: number; size: number; errorCode: string; errorMessage: string }[];
  readonly warnings: readonly string[];
  readonly reconnects: number;
  /** True when the run only confirmed, in one round trip per side, that nothing changed since the last complete run. */
  readonly quiet: boolean;
  /** Per folder worked on: delta (QRESYNC), UID scan or unchanged, and what a delta applied. */
  readonly passes: readonly MigrationFolderPass[];
  /** Verification by content of this run's copies (all the job's copies when verifying alone); null when not run. */
  readonly content: ContentCheckResult | null;
}

/** What the steps of one run share: its options, connections and the warnings it collects. */
export interface Run {
  readonly options: MigrateOptions;
  readonly store: StateStore;
  readonly started: number;
  readonly warnings: string[];
  readonly source: ClientHolder;
  readonly target: ClientHolder;
  readonly pool: TargetPool;
  readonly fetchers: FetcherPool;
  // The options that choose and map folders: part of the quiet check's tree fingerprint.
  readonly optionsKey: string;
  // CONDSTORE/QRESYNC delta passes: the source's reader and the target's editor.
  readonly deltas: RunDeltas;
  // Target folders this run already tried to create.
  readonly attempted: Set<string>;
}

/** What the steps of a run found out, for the summary. */
export interface Findings {
  mappings: readonly FolderMapping[];
  verification: FolderVerification[];
  fingerprint: string | null;
  quiet: boolean;
  counters: CopyContext['counters'] | null;
  passes: MigrationFolderPass[];
  /** Gmail messages not copied (their state is by X-GM-MSGID, outside the per-folder rows). */
  gmailFailures: MigrationSummary['failures'];
  content: ContentCheckResult | null;
  /** The state store's counts as the quiet or delta-only path left them (the summary's totals); null: count again. */
  tally: FolderTally | null;
}

type Recorded = NonNullable<ReturnType<StateStore['quietRecord']>>;

/** Copies every selected folder from source to target; resumable through the state store. */
export async function runMigration(options: MigrateOptions): Promise<MigrationSummary> {
  const warnings: string[] = [];
  // Every connection of the run counts against its side's cap: the server's per-user limit (Dovecot's default 10).
  // Other runs of the same account in this process (a batch's parallel pairs) share its count.
  const limit = options.connectionsPerSide ?? CONNECTIONS_PER_SIDE;
  const accounts = options.accounts ?? { source: accountConnections.join(options.source, limit), target: accountConnections.join(options.target, limit) };
  const caps = {
    source: new ConnectionCap('source', warnings, limit, { account: accounts.source, signal: options.signal }),
    target: new ConnectionCap('target', warnings, limit, { account: accounts.target, signal: options.signal }),
  };
  const fetchers = new FetcherPool(options.source, options.target, options.early, caps);
  const run: Run = {
    options,
    store: options.store,
    started: performance.now(),
    warnings,
    source: new ClientHolder(options.source, 'source', caps.source),
    target: new ClientHolder(options.target, 'target', caps.target),
    pool: new TargetPool(options.target, options.concurrency ?? 4, caps.target),
    fetchers,
    deltas: new RunDeltas(options, options.store, warnings, fetchers),
    optionsKey: JSON.stringify([options.include ? String(options.include) : null, options.exclude ? String(options.exclude) : null, options.rules ?? [], options.targetFlavor ?? null, options.gmailLabels ?? 'once', options.includeShared ?? false]),
    attempted: new Set(),
  };
  const found: Findings = { mappings: [], verification: [], fingerprint: null, quiet: false, counters: null, passes: [], gmailFailures: [], content: null, tally: null };
  let fatal: AppError | null = null;
  const stopOnAbort = abortPromptly(run);
  // Both raw connections open before any bookkeeping, so the servers' TLS handshakes and logins
  // overlap the state store's work; the source one lists the tree before imapflow does (see
  // quiet-check.ts), the target one serves the quiet check's counts or the folder tree's creation.
  // A dry run lists through imapflow, except when shared folders are asked for: imapflow lists only under the
  // personal prefix (Cyrus's "INBOX."), so the raw session lists every namespace the server announces.
  const rawSource = options.dryRun && !options.includeShared ? Promise.resolve(null) : run.fetchers.openFirst();
  rawSource.catch(() => undefined);
  if (!options.dryRun) void run.fetchers.targetRaw();
  run.store.ensureJob(describeEndpoint(options.source), describeEndpoint(options.target), new Date().toISOString());
  try {
    await durableStep(options.durable)();
    await execute(run, rawSource, found);
  } catch (error) {
    fatal = runFailure(error, options.signal);
  } finally {
    stopOnAbort();
    await run.pool.close();
    await Promise.all([run.source.close(), run.target.close(), run.fetchers.close(), run.deltas.close()]);
    caps.source.dispose();
    caps.target.dispose();
    if (!options.accounts) for (const share of [accounts.source, accounts.target]) accountConnections.leave(share);
  }
  const summary = finish(run, found, fatal);
  // A store that cannot be made durable ends the run as not complete: its next run resumes from what was.
  const lost = await options.durable?.().then(() => null, (e: unknown) => appError('backend.unavailable', (e as Error).message, { retryable: true }));
  return lost ? { ...summary, complete: false, error: summary.error ?? lost } : summary;
}

/**
 * Pause and cancel take effect within seconds: the raw connections are dropped at once (a body
 * stream cannot stop mid-literal; the copier then settles what is in flight), uploads get a short
 * grace to be answered, then every other connection is dropped too (batches not answered by then
 * stay 'appending' and are re-checked against the target on resume). Returns the clean-up.
 */
function abortPromptly(run: Run): () => void {
  const signal = run.options.signal;
  let grace: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    run.fetchers.destroy();
    grace = setTimeout(() => {
      run.pool.abort(appError('cancelled', CANCELLED));
      run.source.destroy();
      run.target.destroy();
    }, ABORT_GRACE_MS);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal?.removeEventListener('abort', onAbort);
    clearTimeout(grace);
  };
}

// The quiet check first (after a complete run); the copy when anything may have changed.
async function execute(run: Run, rawSource: Promise<FetchConnection | null>, found: Findings): Promise<void> {
  // After a complete run the source is also asked every folder's STATUS in the listing's round
  // trip, and when nothing changed the run ends there, without loading imapflow at all.
  const record = run.options.dryRun || run.options.verifyOnly ? null : run.store.quietRecord();
  const work = record?.mappings.filter((m) => m.targetPath !== null) ?? [];
  // The quiet check needs the target's counts too, asked while the source answers.
  const targetPaths = work.map((m) => m.targetPath!);
  const counting = record ? run.fetchers.targetRaw().then((raw) => (raw ? targetCounts(raw, targetPaths).catch(() => null) : null)) : Promise.resolve(null);
  const probing = rawSource.then((c) => (c ? probe(run, c, work.map((m) => m.sourcePath)) : null));
  probing.catch(() => undefined);
  // Sessions already logged in (started early, early-sessions.ts) send both round trips in this turn's
  // microtasks: let them leave before the counts, which the servers' answers then overlap.
  await new Promise<void>((resolve) => setImmediate(resolve));
  // Counted once: at 100,000 rows each count of the state store is a scan of tens of milliseconds
  // (more when the state file is partly out of the page cache), done while the servers answer.
  const byState = record ? run.store.folderCounts() : null;
  const landed = new Map(targetPaths.map((p) => [p, run.store.landedCount(p)]));
  const quiet = record ? await quietReport(run, record, await probing, counting, byState!, landed) : null;
  // Only flags and expunges changed (CONDSTORE marks): a delta on raw connections, still without imapflow.
  const outcome = record && !quiet ? await run.deltas.deltaOnly(record, await probing, await counting, { byState: byState!, landed }, changeSupport((await rawSource)?.capabilities)) : null;
  const delta = outcome && 'verification' in outcome ? outcome : null;
  if (quiet || delta) {
    found.tally = delta?.byState ?? byState;
    found.fingerprint = record!.fingerprint;
    found.mappings = record!.mappings;
    found.verification = quiet ?? delta!.verification;
    found.passes = delta?.passes ?? [];
    found.quiet = quiet !== null;
    run.warnings.push(...renameWarnings(found.mappings));
  } else if (outcome && 'newMail' in outcome) {
    // New mail in marked folders of an unchanged tree: copied without listing either side.
    const support = changeSupport((await rawSource)?.capabilities);
    await (await import('./delta-copy.ts')).newMailPass(run, { record: record!, plans: outcome.newMail, counts: (await counting)!, support }, found);
  } else {
    // The full path's modules (imapflow, the folder copier, verification) load only when it is taken.
    await (await import('./copy-pass.ts')).copyPass(run, rawSource, probing, found);
  }
}

// The quiet check's source round trip (null when it failed); the changes it read (QRESYNC) go to the delta's reader.
async function probe(run: Run, conn: FetchConnection, folders: readonly string[]): Promise<SourceProbe | null> {
  const marks = new Map(folders.flatMap((f) => {
    const mark = run.store.modseq.get(f);
    return mark ? [[f, mark] as const] : [];
  }));
  // A quiet folder answers STATUS a little faster than EXAMINE (15 ms more for 28 small folders on
  // Dovecot); a changed large one costs a second re-read of its Maildir when STATUS comes first.
  // Largest last: that folder stays open on the connection, and reopening it would cost the most.
  const size = (f: string): number => run.store.folder(f)?.messages ?? 0;
  const examine = [...marks.keys()].filter((f) => size(f) >= (run.options.examineFrom ?? EXAMINE_FROM)).sort((a, b) => size(a) - size(b));
  const seen = await probeSource(conn, run.optionsKey, folders, marks, examine).catch(() => null);
  if (seen?.qresync) run.deltas.probedWith(conn, seen.changes);
  return seen;
}

// The count-only report of a run with nothing to do, or null when something changed (or cannot be told).
async function quietReport(run: Run, recorded: Recorded, seen: SourceProbe | null, counting: Promise<Map<string, number | null> | null>, byState: FolderTally, landed: ReadonlyMap<string, number>): Promise<FolderVerification[] | null> {
  const { store } = run;
  const work = recorded.mappings.filter((m) => m.targetPath !== null);
  const counts = await counting;
  // As with the source: a refused target login is reported, not tried again through imapflow.
  run.fetchers.assertTargetUsable();
  const open = (path: string): number => (byState.get(path)?.pending ?? 0) + (byState.get(path)?.appending ?? 0);
  if (!seen || seen.fingerprint !== recorded.fingerprint || !work.every((m) => unchangedSince(store, m.sourcePath, seen.status.get(m.sourcePath) ?? undefined, open(m.sourcePath)))) return null;
  // A target folder holding fewer messages than landed there lost some: the full path looks again.
  if (!counts || work.some((m) => (counts.get(m.targetPath!) ?? -1) < landed.get(m.targetPath!)!)) return null;
  return work.map((m) => countVerification(store, m, seen.status.get(m.sourcePath)?.messages ?? 0, counts.get(m.targetPath!) ?? 0, byState, landed.get(m.targetPath!)));
}

// The error that ended the run, as a value; anything that is not an expected failure is a bug and is thrown.
function runFailure(error: unknown, signal: AbortSignal | undefined): AppError {
  if (error instanceof Fatal) return error.error;
  if (error instanceof TargetUnavailable) return error.error;
  if (signal?.aborted) return appError('cancelled', CANCELLED);
  if (stallOf(error) !== null) return appError('imap.timeout', `migration: ${(error as Error).message}`, { retryable: true });
  if (isImapFailure(error)) return classifyImapError(error, 'migration');
  throw error;
}

// The summary from the state store, and the job's bookkeeping for the next run.
function finish(run: Run, found: Findings, fatal: AppError | null): MigrationSummary {
  const { options, store } = run;
  const counts = found.tally ? totalsOf(found.tally) : store.counts();
  const counters = found.counters ?? { copied: 0, skipped: 0, failed: 0, bytes: 0, total: 0 };
  const pending = counts.pending.n + counts.appending.n;
  const summary: MigrationSummary = {
    copied: counters.copied,
    skipped: Math.max(0, counts.done.n + counts.skipped.n - counters.copied),
    failed: counts.failed.n + found.gmailFailures.length,
    pending,
    bytes: counters.bytes,
    seconds: Math.round(performance.now() - run.started) / 1000,
    complete: fatal === null && pending === 0 && counts.failed.n === 0 && found.gmailFailures.length === 0 && !options.dryRun && found.verification.every((v) => v.missing === 0),
    dryRun: options.dryRun ?? false,
    error: fatal,
    folders: found.mappings,
    verification: found.verification,
    failures: [...store.failures(), ...found.gmailFailures],
    warnings: run.warnings,
    reconnects: run.pool.reconnectCount,
    quiet: found.quiet,
    passes: found.passes,
    content: found.content,
  };
  if (found.quiet) {
    const total = found.verification.reduce((n, v) => n + v.sourceCount, 0);
    options.onProgress?.({ phase: 'done', folder: null, foldersDone: found.verification.length, foldersTotal: found.verification.length, copied: 0, skipped: summary.skipped, failed: summary.failed, bytes: 0, total, elapsedMs: Math.round(performance.now() - run.started) });
  }
  // Only a settled run vouches for "nothing to do next time"; anything else makes the next run look at every folder.
  if (!options.dryRun && !options.verifyOnly) store.saveQuiet(settled(summary, found) && found.fingerprint ? { fingerprint: found.fingerprint, mappings: found.mappings } : null);
  store.finishJob(summary.complete ? 'done' : fatal ? 'error' : 'incomplete', fatal?.message ?? null, new Date().toISOString());
  return summary;
}

/**
 * A run that left nothing for the next one to do: complete, or complete but for messages recorded
 * as failed (a copy the target altered or refused). A full pass never retries those (only an
 * explicit retry puts them back to pending, which the quiet check sees), so the next run may
 * answer from the state store and report the same failures, instead of listing everything again.
 */
function settled(summary: MigrationSummary, found: Findings): boolean {
  if (summary.complete) return true;
  return summary.error === null && summary.pending === 0 && found.gmailFailures.length === 0 && found.verification.every((v) => v.missing <= v.failed);
}

// Totals by state of per-folder counts.
function totalsOf(tally: FolderTally): Record<MessageState, { n: number }> {
  const out = { pending: { n: 0 }, appending: { n: 0 }, done: { n: 0 }, skipped: { n: 0 }, failed: { n: 0 } };
  for (const byFolder of tally.values()) for (const [state, n] of Object.entries(byFolder) as [MessageState, number][]) out[state].n += n;
  return out;
}
