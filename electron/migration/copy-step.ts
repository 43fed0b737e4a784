import type { ImapFlow } from 'imapflow';
import type { ListedFolder } from './raw-listing.ts';
import type { CopyContext } from './folder-copier.ts';
import type { DeltaContext } from './delta-pass.ts';
import { copyFolder } from './folder-pass.ts';
import type { FolderMapping } from './folder-map.ts';
import type { MigrationProgressEvent, Run } from './migrate-job.ts';
import { prepareTargetTree } from './target-tree.ts';
import { durableStep } from './run-clients.ts';
import { BodyBudget } from './body-budget.ts';
import { memoryBudget, runMemoryMb, runUidWindow } from './memory-budget.ts';
import { appendLimitOf } from './target-pool.ts';

// The copy step of a run: its connections and per-folder workers (split from migrate-job.ts).

/**
 * Opens every other connection at once, now that both logins worked (a wrong password was tried
 * once): the upload pool, one raw source connection per worker, and the raw target connection
 * that creates the missing folders and reads every folder's PERMANENTFLAGS in one round trip.
 * `uploadsAhead`: the upload logins go on while the source is read (a delta's few messages), the
 * APPENDLIMIT then taken from the raw target connection, which has logged in already.
 */
export async function copyContext(run: Run, target: () => Promise<ImapFlow>, targetCount: ReadonlyMap<string, number | undefined>, busy: readonly FolderMapping[], gmail: boolean, uploadsAhead = false): Promise<{ ctx: CopyContext; workers: number }> {
  const { options, store } = run;
  const copying = !options.dryRun && busy.length > 0;
  const workers = Math.max(1, Math.min(options.sourceConnections ?? 6, busy.length));
  const existing = new Set(targetCount.keys());
  const targetPaths = [...new Set(busy.map((m) => m.targetPath!))];
  // Folders settleFolderTree already created (or found refused) are not created again.
  for (const p of run.attempted) existing.add(p);
  // Uploads keep to one connection per folder (target-pool.ts): one busy folder needs one.
  const warming = copying ? run.pool.warmUp(busy.length > 1) : null;
  // Not awaited ahead: a failed login surfaces at the first upload, which connects again.
  if (uploadsAhead) warming?.catch(() => undefined);
  const [caps, tree, { ready, refused, fatal }, raw] = await Promise.all([
    uploadsAhead ? null : warming,
    copying ? run.fetchers.targetRaw().then((raw) => prepareTargetTree(raw, target, targetPaths, targetPaths.filter((p) => !existing.has(p)), run.warnings)) : null,
    run.fetchers.warm(busy.length > 0 ? workers : 0),
    uploadsAhead ? run.fetchers.targetRaw() : null,
  ]);
  if (fatal) throw fatal;
  // Fewer when the source's connection cap (connection-cap.ts) had no room for more, or the server refused some.
  const workerCount = Math.max(1, Math.min(workers, ready));
  if (refused > 0) run.warnings.push(`the source refused ${refused} of ${workers} connections; copying with ${workerCount}`);
  // Messages on the target that no landed row accounts for (another tool's copy, an uncertain
  // batch, new mail): that folder's pass reads identity keys first, to reconcile. The count is
  // the SELECT of the target tree when there was one (it also sees folders another client made
  // since the listing, or that the server names differently), else the listing; a folder
  // listed without a count, or not selectable, is treated the same way: unknown is not empty.
  const countOf = (p: string): number | undefined => (tree ? tree.exists.get(p) : existing.has(p) ? targetCount.get(p) : 0);
  const budget = memoryBudget(runMemoryMb(), runUidWindow());
  const ctx: CopyContext = {
    store,
    pool: run.pool,
    target,
    targetUnknown: new Set(targetPaths.filter((p) => (countOf(p) ?? Infinity) > store.landedCount(p))),
    permanentFlags: tree?.permanentFlags ?? new Map(),
    dryRun: options.dryRun ?? false,
    appendLimit: caps?.appendLimit ?? (raw ? appendLimitOf(raw.capabilities) : null) ?? options.maxMessageBytes ?? null,
    counters: { copied: 0, skipped: 0, failed: 0, bytes: 0, total: 0 },
    warnings: run.warnings,
    signal: options.signal,
    gmail: gmail && options.gmailLabels !== 'per-label',
    unchanged: new Set<string>(),
    bodies: new BodyBudget(budget.inFlightBytes),
    budget,
    borrowFetcher: run.fetchers.borrow,
    returnFetcher: run.fetchers.giveBack,
    report: () => undefined,
    durable: durableStep(options.durable),
  };
  return { ctx, workers: workerCount };
}

/** Progress samples: totals so far, the folder being worked on and the folders finished. */
export function progressOf(run: Run, c: CopyContext, foldersTotal: number, checking?: { checked: number; checkTotal: number }): (phase: MigrationProgressEvent['phase'], folderDone?: boolean) => void {
  let foldersDone = 0;
  let current: string | null = null;
  const emit = (phase: MigrationProgressEvent['phase'], folderDone = false): void => {
    if (folderDone) foldersDone++;
    // `checking`: copies compared by content while the copy goes on (content-verify.ts), in the copy's samples.
    run.options.onProgress?.({ phase, folder: current, foldersDone, foldersTotal, ...c.counters, ...checking, elapsedMs: Math.round(performance.now() - run.started) });
  };
  c.report = (folder) => {
    current = folder;
    emit('copying');
  };
  return emit;
}

/** Copies the folders with `workers` in parallel, largest first, so the run does not end waiting on one big folder started last. */
export async function copyFolders(
  run: Run,
  c: CopyContext,
  d: DeltaContext,
  work: readonly FolderMapping[],
  statusByPath: ReadonlyMap<string, ListedFolder>,
  workers: number,
  progress: (phase: MigrationProgressEvent['phase'], folderDone?: boolean) => void,
  /** Called as each folder's copy ends without an error (its uploads all answered and recorded). */
  onFolderDone?: (m: FolderMapping) => void,
): Promise<void> {
  const queue = [...work].sort((a, b) => (statusByPath.get(b.sourcePath)?.status?.messages ?? 0) - (statusByPath.get(a.sourcePath)?.status?.messages ?? 0));
  const worker = async (): Promise<void> => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      if (run.options.signal?.aborted) return;
      await copyFolder(c, d, m, statusByPath.get(m.sourcePath) as ListedFolder);
      progress('copying', true);
      if (!run.options.signal?.aborted) onFolderDone?.(m);
    }
  };
  // Every worker settles its in-flight uploads before the run ends, even when another failed or was aborted.
  const outcomes = await Promise.allSettled(Array.from({ length: workers }, worker));
  const failedWorker = outcomes.find((o) => o.status === 'rejected');
  if (failedWorker) throw failedWorker.reason;
}
