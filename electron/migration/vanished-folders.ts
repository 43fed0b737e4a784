import type { FolderMapping } from './folder-map.ts';
import type { StateStore } from './state-store.ts';

/**
 * Source folders that still hold messages waiting to be copied but are no longer part of the run:
 * gone from the source since the last run, or no longer selected. Their waiting rows are dropped
 * from the job (they cannot be copied from a folder that is not there), reported with their count,
 * so the job can complete instead of staying pending forever. Returns the report's skipped folders.
 */
export function releaseVanishedFolders(store: StateStore, listedPaths: ReadonlySet<string>, work: readonly FolderMapping[], warnings: string[]): FolderMapping[] {
  const db = store.database;
  const inWork = new Set(work.map((m) => m.sourcePath));
  const waiting = db
    .prepare(`SELECT source_path AS path, COUNT(*) AS n FROM migration_messages WHERE job_id = ? AND state IN ('pending', 'appending') GROUP BY source_path`)
    .all(store.jobId) as { path: string; n: number }[];
  const known = db.prepare(`SELECT source_path FROM migration_folders WHERE job_id = ?`).pluck().all(store.jobId) as string[];
  const drop = db.prepare(`DELETE FROM migration_messages WHERE job_id = ? AND source_path = ? AND state IN ('pending', 'appending')`);
  // Reported once: the folder's bookkeeping row goes with it (its copied messages' rows stay).
  const forget = db.prepare(`DELETE FROM migration_folders WHERE job_id = ? AND source_path = ?`);
  const open = new Map(waiting.map((w) => [w.path, w.n]));
  const out: FolderMapping[] = [];
  for (const path of new Set([...known, ...open.keys()])) {
    if (inWork.has(path)) continue;
    const gone = !listedPaths.has(path);
    const n = open.get(path) ?? 0;
    if (!gone && n === 0) continue;
    db.transaction(() => {
      drop.run(store.jobId, path);
      if (gone) forget.run(store.jobId, path);
    })();
    const left = n > 0 ? `; ${n} message(s) it still had to copy ${gone ? 'are no longer there' : 'were left on the source'}` : '';
    const reason = gone ? `vanished from the source since the last run${left}` : `no longer selected for copying${left}`;
    warnings.push(`${path}: ${reason}`);
    if (gone) out.push({ sourcePath: path, targetPath: null, specialUse: null, skipReason: reason, renamed: null });
  }
  return out;
}
