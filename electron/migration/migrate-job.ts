import type { ImapFlow, ListResponse } from 'imapflow';
import { type AppError, appError } from '../../shared/errors/result.ts';
import { classifyImapError } from '../backends/imap/imap-errors.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { describeEndpoint } from './endpoint.ts';
import { mapFolders, type FolderMapping, type FolderRule, type TargetLayout } from './folder-map.ts';
import { FetchConnection } from './fetch-connection.ts';
import { prepareTargetTree } from './target-tree.ts';
import { FolderCopier, type CopyContext } from './folder-copier.ts';
import { unchangedSince } from './folder-status.ts';
import type { StateStore } from './state-store.ts';
import { TargetPool, TargetUnavailable } from './target-pool.ts';
import { countVerification, verifyFolders, type FolderVerification } from './verify.ts';
import { probeSource, targetCounts, type SourceProbe } from './quiet-check.ts';
import { ClientHolder, Fatal, isImapFailure, onSide, sameNames } from './run-clients.ts';

/** Everything a run needs; secrets are inside the endpoints' auth and never stored. */
export interface MigrateOptions {
  readonly source: ImapEndpoint;
  readonly target: ImapEndpoint;
  readonly store: StateStore;
  /** Upload connections to the target (default 4). */
  readonly concurrency?: number;
  /** Raw source connections, one folder each at a time (default min(6, folders with changes)). */
  readonly sourceConnections?: number;
  readonly dryRun?: boolean;
  readonly rules?: readonly FolderRule[];
  readonly include?: RegExp;
  readonly exclude?: RegExp;
  /** Largest message the target takes, when known from the provider preset; APPENDLIMIT wins. */
  readonly maxMessageBytes?: number;
  readonly targetFlavor?: TargetLayout['flavor'];
  /** Gmail source: copy each message once (default) or once per label folder. */
  readonly gmailLabels?: 'once' | 'per-label';
  /** Compare target and source message by message at the end (one metadata fetch per folder). */
  readonly verify?: boolean;
  readonly onProgress?: (p: MigrationProgressEvent) => void;
  readonly signal?: AbortSignal;
}

/** A progress sample: totals for the run so far. */
export interface MigrationProgressEvent {
  readonly phase: 'listing' | 'copying' | 'verifying' | 'done';
  readonly folder: string | null;
  readonly foldersDone: number;
  readonly foldersTotal: number;
  readonly copied: number;
  readonly skipped: number;
  readonly failed: number;
  readonly bytes: number;
  readonly total: number;
  readonly elapsedMs: number;
}

/** The outcome of a run. `complete` is true only when every source message is on the target. */
export interface MigrationSummary {
  readonly copied: number;
  readonly skipped: number;
  readonly failed: number;
  readonly pending: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly complete: boolean;
  readonly dryRun: boolean;
  readonly error: AppError | null;
  readonly folders: readonly FolderMapping[];
  readonly verification: readonly FolderVerification[];
  readonly failures: readonly { sourcePath: string; uid: number; size: number; errorCode: string; errorMessage: string }[];
  readonly warnings: readonly string[];
  readonly reconnects: number;
  /** True when the run only confirmed, in one round trip per side, that nothing changed since the last complete run. */
  readonly quiet: boolean;
}

/** Copies every selected folder from source to target; resumable through the state store. */
export async function runMigration(options: MigrateOptions): Promise<MigrationSummary> {
  const started = performance.now();
  const store = options.store;
  const warnings: string[] = [];
  const sourceHolder = new ClientHolder(options.source, 'source');
  const targetHolder = new ClientHolder(options.target, 'target');
  const pool = new TargetPool(options.target, options.concurrency ?? 4);
  let fatal: AppError | null = null;
  let mappings: FolderMapping[] = [];
  let verification: FolderVerification[] = [];
  const ctx: Partial<CopyContext> = {};
  // Raw source connections (fetch-connection.ts): metadata and body streams, one per worker at a time.
  const idleFetchers: FetchConnection[] = [];
  const allFetchers: FetchConnection[] = [];
  const borrowFetcher = async (): Promise<FetchConnection> => {
    for (let f = idleFetchers.pop(); f; f = idleFetchers.pop()) if (f.alive) return f;
    const opened = await FetchConnection.open(options.source);
    if (!opened.ok) throw !opened.error.retryable ? new Fatal(onSide('source', opened.error)) : Object.assign(new Error(opened.error.message), { code: 'ECONNRESET' });
    allFetchers.push(opened.value);
    return opened.value;
  };
  const returnFetcher = (f: FetchConnection): void => {
    if (f.alive) idleFetchers.push(f);
  };
  // A raw connection to the target for pipelined bookkeeping (CREATE, verification UID lists); opened on first use.
  let targetRawConn: Promise<FetchConnection | null> | null = null;
  let targetRawError: AppError | null = null;
  const targetRaw = (): Promise<FetchConnection | null> => {
    targetRawConn ??= FetchConnection.open(options.target).then((r) => {
      if (!r.ok) {
        targetRawError = onSide('target', r.error);
        return null;
      }
      allFetchers.push(r.value);
      return r.value;
    });
    return targetRawConn.then((c) => (c?.alive ? c : null));
  };
  const optionsKey = JSON.stringify([options.include ? String(options.include) : null, options.exclude ? String(options.exclude) : null, options.rules ?? [], options.targetFlavor ?? null, options.gmailLabels ?? 'once']);
  let fingerprint: string | null = null;
  let quietRun = false;
  // The raw source login; kept as the first body-stream connection. A refused login or certificate
  // is final, and imapflow's login waits for this one, so a wrong password is tried once.
  const openRawSource = async (): Promise<FetchConnection | null> => {
    const opened = await FetchConnection.open(options.source);
    if (!opened.ok) {
      if (!opened.error.retryable) throw new Fatal(onSide('source', opened.error));
      return null;
    }
    allFetchers.push(opened.value);
    idleFetchers.push(opened.value);
    return opened.value;
  };
  // The count-only report of a run with nothing to do, or null when something changed (or cannot be told).
  const quietReport = async (
    recorded: { fingerprint: string; mappings: readonly FolderMapping[] },
    seen: SourceProbe | null,
    counting: Promise<Map<string, number | null> | null>,
  ): Promise<FolderVerification[] | null> => {
    const work = recorded.mappings.filter((m) => m.targetPath !== null);
    const counts = await counting;
    // As with the source: a refused target login is reported, not tried again through imapflow.
    if (targetRawError && !targetRawError.retryable) throw new Fatal(targetRawError);
    const byState = store.folderCounts();
    const open = (path: string): number => (byState.get(path)?.pending ?? 0) + (byState.get(path)?.appending ?? 0);
    if (!seen || seen.fingerprint !== recorded.fingerprint || !work.every((m) => unchangedSince(store, m.sourcePath, seen.status.get(m.sourcePath) ?? undefined, open(m.sourcePath)))) return null;
    // A target folder holding fewer messages than landed there lost some: the full path looks again.
    if (!counts || work.some((m) => (counts.get(m.targetPath!) ?? -1) < store.landedCount(m.targetPath!))) return null;
    return work.map((m) => countVerification(store, m, seen.status.get(m.sourcePath)?.messages ?? 0, counts.get(m.targetPath!) ?? 0, byState));
  };
  // Both raw connections open before any bookkeeping, so the servers' TLS handshakes and logins
  // overlap the state store's work; the source one lists the tree before imapflow does (see
  // quiet-check.ts), the target one serves the quiet check's counts or the folder tree's creation.
  const rawSource = options.dryRun ? Promise.resolve(null) : openRawSource();
  rawSource.catch(() => undefined);
  if (!options.dryRun) void targetRaw();
  store.ensureJob(describeEndpoint(options.source), describeEndpoint(options.target), new Date().toISOString());
  try {
    // After a complete run the source is also asked every folder's STATUS in the listing's round
    // trip, and when nothing changed the run ends there, without loading imapflow at all.
    const record = options.dryRun ? null : store.quietRecord();
    // The quiet check needs the target's counts too, asked while the source answers.
    const targetPaths = record?.mappings.filter((m) => m.targetPath !== null).map((m) => m.targetPath!) ?? [];
    const counting = record ? targetRaw().then((raw) => (raw ? targetCounts(raw, targetPaths).catch(() => null) : null)) : Promise.resolve(null);
    const folders = record?.mappings.filter((m) => m.targetPath !== null).map((m) => m.sourcePath) ?? [];
    const probing = rawSource.then((c) => (c ? probeSource(c, optionsKey, folders).catch(() => null) : null));
    probing.catch(() => undefined);
    const quiet = record ? await quietReport(record, await probing, counting) : null;
    if (quiet) {
      fingerprint = record!.fingerprint;
      mappings = record!.mappings;
      verification = quiet;
      for (const m of mappings) if (m.renamed) warnings.push(`${m.sourcePath}: ${m.renamed}`);
      quietRun = true;
    } else {
      // Both sides log in and list at the same time: a no-change re-run is mostly these round trips.
      // allSettled: when one side fails, the other's connection is still held and closed below.
      // Each imapflow login waits for that side's raw login: a refused password is tried once per side.
      const rawTarget = options.dryRun
        ? Promise.resolve()
        : targetRaw().then(() => {
            if (targetRawError && !targetRawError.retryable) throw new Fatal(targetRawError);
          });
      const opened = await Promise.allSettled([rawSource.then(() => sourceHolder.get()), rawTarget.then(() => targetHolder.get())]);
      for (const o of opened) if (o.status === 'rejected') throw o.reason;
      const [source, target] = opened.map((o) => (o as PromiseFulfilledResult<ImapFlow>).value) as [ImapFlow, ImapFlow];
      // The fingerprint must describe a tree listed no later than the one this run works from.
      const probed = await probing;
      const [listed, targetListed] = await Promise.all([source.list({ statusQuery: { messages: true, uidNext: true, uidValidity: true } }), target.list({ statusQuery: { messages: true } })]);
      // …and only when it names the very folders this run works from (a folder the server left out
      // of one listing would otherwise be vouched for without ever being copied).
      const sameTree = probed !== null && sameNames(probed.names, listed.map((f) => f.pathAsListed));
      fingerprint = sameTree ? probed.fingerprint : null;
      const layout = targetLayout(target, targetListed, options.targetFlavor);
      const gmail = source.capabilities.has('X-GM-EXT-1');
      mappings = mapFolders(
        listed.filter((f) => (!options.include || options.include.test(f.path)) && !(options.exclude?.test(f.path) ?? false)),
        layout,
        { sourcePrefix: source.namespace?.prefix ?? '', rules: options.rules ?? [], gmailSource: gmail, gmailAllMail: gmail },
      );
      for (const m of mappings) if (m.renamed) warnings.push(`${m.sourcePath}: ${m.renamed}`);
      const work = mappings.filter((m) => m.targetPath !== null);
      const statusByPath = new Map(listed.map((f) => [f.path, f]));
      // A no-change re-run touches no folder: it needs neither upload connections nor extra source connections.
      const busy = work.filter((m) => !unchangedSince(store, m.sourcePath, statusByPath.get(m.sourcePath)?.status));
      const copying = !options.dryRun && busy.length > 0;
      const workers = Math.max(1, Math.min(options.sourceConnections ?? 6, busy.length));
      const existing = new Set(targetListed.map((f) => f.path));
      const targetPaths = [...new Set(busy.map((m) => m.targetPath!))];
      // Both logins worked, so every other connection opens at once (a wrong password was tried once):
      // the upload pool, one raw source connection per worker, and the raw target connection that
      // creates the missing folders and reads every folder's PERMANENTFLAGS in one round trip.
      const [caps, tree, fetchers] = await Promise.all([
        copying ? pool.warmUp(true) : null,
        copying ? targetRaw().then((raw) => prepareTargetTree(raw, target, targetPaths, targetPaths.filter((p) => !existing.has(p)), warnings)) : null,
        // A server's connection cap may refuse some of these: the run goes on with those that opened.
        Promise.allSettled(Array.from({ length: busy.length > 0 ? workers : 0 }, async () => returnFetcher(await borrowFetcher()))),
      ]);
      const refused = fetchers.filter((f) => f.status === 'rejected');
      const fatalOpen = refused.map((f) => (f as PromiseRejectedResult).reason as unknown).find((e) => e instanceof Fatal);
      if (fatalOpen) throw fatalOpen;
      const workerCount = Math.max(1, workers - refused.length);
      if (refused.length > 0) warnings.push(`the source refused ${refused.length} of ${workers} connections; copying with ${workerCount}`);
      // Messages on the target that no landed row accounts for (another tool's copy, an uncertain
      // batch, new mail): that folder's pass reads identity keys first, to reconcile. The count is
      // the SELECT of the target tree when there was one (it also sees folders another client made
      // since the listing, or that the server names differently), else the listing; a folder
      // listed without a count, or not selectable, is treated the same way: unknown is not empty.
      const targetCount = new Map(targetListed.map((f) => [f.path, f.status?.messages]));
      const countOf = (p: string): number | undefined => (tree ? tree.exists.get(p) : existing.has(p) ? targetCount.get(p) : 0);
      const targetUnknown = new Set(targetPaths.filter((p) => (countOf(p) ?? Infinity) > store.landedCount(p)));
      const appendLimit = caps?.appendLimit ?? options.maxMessageBytes ?? null;
      Object.assign(ctx, {
        store,
        pool,
        target: () => targetHolder.get(),
        targetUnknown,
        permanentFlags: tree?.permanentFlags ?? new Map(),
        dryRun: options.dryRun ?? false,
        appendLimit,
        counters: { copied: 0, skipped: 0, failed: 0, bytes: 0, total: work.reduce((n, m) => n + (statusByPath.get(m.sourcePath)?.status?.messages ?? 0), 0) },
        warnings,
        signal: options.signal,
        gmail: gmail && options.gmailLabels !== 'per-label',
          unchanged: new Set<string>(),
        inFlight: { bytes: 0 },
        borrowFetcher,
        returnFetcher,
      } satisfies Omit<CopyContext, 'report'>);
      const c = ctx as CopyContext;
      let foldersDone = 0;
      let current: string | null = null;
      const emit = (phase: MigrationProgressEvent['phase']): void =>
        options.onProgress?.({
          phase,
          folder: current,
          foldersDone,
          foldersTotal: work.length,
          ...c.counters,
          elapsedMs: Math.round(performance.now() - started),
        });
      c.report = (folder) => {
        current = folder;
        emit('copying');
      };
      emit('listing');
      // Largest folders first, so the run does not end waiting on one big folder started last.
      const queue = [...work].sort((a, b) => (statusByPath.get(b.sourcePath)?.status?.messages ?? 0) - (statusByPath.get(a.sourcePath)?.status?.messages ?? 0));
      const runWorker = async (): Promise<void> => {
        for (let m = queue.shift(); m; m = queue.shift()) {
          if (options.signal?.aborted) return;
          await new FolderCopier(c, m, statusByPath.get(m.sourcePath) as ListResponse).run();
          foldersDone++;
          emit('copying');
        }
      };
      // Every worker settles its in-flight uploads before the run ends, even when another failed or was aborted.
      const outcomes = await Promise.allSettled(Array.from({ length: workerCount }, runWorker));
      const failedWorker = outcomes.find((o) => o.status === 'rejected');
      if (failedWorker) throw failedWorker.reason;
      emit('verifying');
      verification = await verifyFolders(() => sourceHolder.get(), () => targetHolder.get(), store, work, (options.verify ?? false) && !options.dryRun, {
        unchanged: c.unchanged,
        sourceStatus: statusByPath,
        targetRaw,
        targetListed,
      });
      emit('done');
    }
  } catch (error) {
    if (error instanceof Fatal) fatal = error.error;
    else if (error instanceof TargetUnavailable) fatal = error.error;
    else if (options.signal?.aborted) fatal = appError('cancelled', 'The run was cancelled; it resumes where it stopped.');
    else if (isImapFailure(error)) fatal = classifyImapError(error, 'migration');
    else throw error;
  } finally {
    await pool.close();
    await Promise.all([sourceHolder.close(), targetHolder.close(), ...allFetchers.map((f) => f.close())]);
  }
  const counts = store.counts();
  const counters = (ctx as CopyContext).counters ?? { copied: 0, skipped: 0, failed: 0, bytes: 0, total: 0 };
  const pending = counts.pending.n + counts.appending.n;
  const summary: MigrationSummary = {
    copied: counters.copied,
    skipped: Math.max(0, counts.done.n + counts.skipped.n - counters.copied),
    failed: counts.failed.n,
    pending,
    bytes: counters.bytes,
    seconds: Math.round(performance.now() - started) / 1000,
    complete: fatal === null && pending === 0 && counts.failed.n === 0 && !options.dryRun && verification.every((v) => v.missing === 0),
    dryRun: options.dryRun ?? false,
    error: fatal,
    folders: mappings,
    verification,
    failures: store.failures(),
    warnings,
    reconnects: pool.reconnectCount,
    quiet: quietRun,
  };
  if (quietRun) {
    const total = verification.reduce((n, v) => n + v.sourceCount, 0);
    options.onProgress?.({ phase: 'done', folder: null, foldersDone: verification.length, foldersTotal: verification.length, copied: 0, skipped: summary.skipped, failed: summary.failed, bytes: 0, total, elapsedMs: Math.round(performance.now() - started) });
  }
  // Only a complete run vouches for "nothing to do next time"; anything else makes the next run look at every folder.
  if (!options.dryRun) store.saveQuiet(summary.complete && fingerprint ? { fingerprint, mappings } : null);
  store.finishJob(summary.complete ? 'done' : fatal ? 'error' : 'incomplete', fatal?.message ?? null, new Date().toISOString());
  return summary;
}

function targetLayout(client: ImapFlow, listed: readonly ListResponse[], flavor: TargetLayout['flavor']): TargetLayout {
  const delimiter = client.namespace?.delimiter ?? listed[0]?.delimiter ?? '/';
  const specialUse = new Map<string, string>();
  for (const f of listed) if (f.specialUse && !specialUse.has(f.specialUse)) specialUse.set(f.specialUse, f.path);
  return { delimiter, prefix: client.namespace?.prefix ?? '', specialUse, flavor: flavor ?? 'generic' };
}
