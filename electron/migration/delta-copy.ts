import type { ListedFolder } from './raw-listing.ts';
import { verifyContent } from './content-verify.ts';
import { copyContext, copyFolders, progressOf } from './copy-step.ts';
import type { ChangeSupport, DeltaPlan } from './delta-run.ts';
import { renameWarnings, type FolderMapping } from './folder-map.ts';
import type { Findings, Run } from './migrate-job.ts';
import { countVerification, verifyFolders, type FolderVerification } from './verify.ts';
import { newCopiesMissing } from './verify-window.ts';
import { recount } from './run-listing.ts';

// A delta run with new mail (split from copy-pass.ts): when the source tree is as the last complete
// run left it and every changed folder has a CONDSTORE mark under the same UIDVALIDITY, the quiet
// check's STATUS answers stand in for both listings, so neither side logs in through imapflow or
// lists again. The folders are copied exactly as on the full path (folder-pass.ts: new UIDs by
// range, then the QRESYNC changes since the mark), and each copy is checked as there: by content,
// and by its APPENDUID on the target; the target's count comes from the raw connection's open folder.

/** What the quiet check left for this run: the last complete run's record and the target's counts. */
export interface NewMailInput {
  readonly record: { readonly fingerprint: string; readonly mappings: readonly FolderMapping[] };
  readonly plans: readonly DeltaPlan[];
  readonly counts: ReadonlyMap<string, number | null>;
  readonly support: ChangeSupport;
}

/** Copies the new mail of a delta run and applies its other changes, without listing either side. */
export async function newMailPass(run: Run, input: NewMailInput, found: Findings): Promise<void> {
  const { options, store } = run;
  found.fingerprint = input.record.fingerprint;
  found.mappings = input.record.mappings;
  run.warnings.push(...renameWarnings(found.mappings));
  // The fields the full path's listing carries (MESSAGES, UIDNEXT, UIDVALIDITY, HIGHESTMODSEQ), from the probe.
  const statusByPath = new Map(input.plans.map((p) => [p.m.sourcePath, { path: p.m.sourcePath, status: p.status } as unknown as ListedFolder]));
  const work = input.plans.map((p) => p.m);
  const busy = input.plans.filter((p) => p.mark).map((p) => p.m);
  const targetCount = new Map<string, number | undefined>([...input.counts].filter(([, n]) => n !== null).map(([p, n]) => [p, n!]));
  // The raw target connection has logged in: the upload connection's login goes on while the source is read.
  const { ctx: c, workers } = await copyContext(run, () => run.target.get(), targetCount, busy, false, true);
  c.counters.total = input.plans.reduce((n, p) => n + (p.status.messages ?? 0), 0);
  found.counters = c.counters;
  const progress = progressOf(run, c, work.length);
  progress('listing');
  await copyFolders(run, c, run.deltas.context(input.support, found.passes), work, statusByPath, workers, progress);
  const deep = options.verify ?? false;
  if (deep) {
    const onProgress = (checked: number, checkTotal: number): void => options.onProgress?.({ phase: 'checking', folder: null, foldersDone: work.length, foldersTotal: work.length, ...c.counters, checked, checkTotal, elapsedMs: Math.round(performance.now() - run.started) });
    found.content = await verifyContent({ store, fetchers: run.fetchers, targetPaths: [...new Set(busy.map((m) => m.targetPath!))], recheck: false, signal: options.signal, onProgress, counters: c.counters, warnings: run.warnings });
  }
  progress('verifying');
  found.verification = await verifyDelta(run, input, c.unchanged, statusByPath, deep);
  progress('done');
}

/**
 * The per-folder report of a delta run. Source counts are the quiet check's (the start of the
 * run, as the full path's listing is); the target's are taken now, from the raw connection's open
 * folder (NOOP, so it sees every upload). Copies of this pass are looked up by APPENDUID; a folder
 * that cannot be checked that way (no APPENDUID, fewer messages than landed, a UID scan instead of
 * a delta) gets the full path's verification.
 */
async function verifyDelta(run: Run, input: NewMailInput, unchanged: ReadonlySet<string>, statusByPath: ReadonlyMap<string, ListedFolder>, deep: boolean): Promise<FolderVerification[]> {
  const { store } = run;
  const byState = store.folderCounts();
  const before = run.deltas.copiedBefore;
  const out: FolderVerification[] = [];
  for (const { m, status, mark } of input.plans) {
    const tPath = m.targetPath!;
    const landed = store.landedCount(tPath);
    const sourceCount = status.messages ?? 0;
    if (!mark) {
      out.push(countVerification(store, m, sourceCount, input.counts.get(tPath) ?? 0, byState, landed));
      continue;
    }
    const raw = await run.fetchers.targetRaw();
    const box = raw ? await raw.open(tPath) : null;
    const upTo = before.get(m.sourcePath);
    const quiet = unchanged.has(m.sourcePath);
    const fresh = box && deep && !quiet && upTo !== undefined && box.exists >= landed ? await newCopiesMissing(raw!, tPath, store, m.sourcePath, Number(status.uidValidity), upTo) : null;
    if (box && (quiet || !deep || fresh !== null)) {
      const shallow = countVerification(store, m, sourceCount, box.exists, byState, landed);
      out.push({ ...shallow, missing: shallow.missing + (fresh ?? 0), deep: deep && !quiet });
      continue;
    }
    const [full] = await verifyFolders(() => run.source.get(), () => run.target.get(), store, [m], deep, { unchanged, sourceStatus: statusByPath, targetRaw: run.fetchers.targetRaw, copiedBefore: before, recount: () => recount(run) });
    out.push(full!);
  }
  return out;
}
