import type { ListedFolder } from './raw-listing.ts';
import type { CopyContext } from './folder-copier.ts';
import { FolderCopier } from './folder-copier.ts';
import { applyChanges, markDone, pass, type DeltaContext } from './delta-pass.ts';
import { unchangedSince } from './folder-status.ts';
import type { FolderMapping } from './folder-map.ts';

// One folder of the full path (split from delta-pass.ts, so that a quiet or flags-only run, which
// applies deltas without copying, never loads the folder copier).

/**
 * Copies one folder the cheapest way its source allows. With QRESYNC (or CONDSTORE alone) and a
 * mark from a complete earlier pass under the same UIDVALIDITY: new mail by UID as always, then the
 * flag changes and expunges since the mark (one EXAMINE (QRESYNC …), or EXAMINE + FETCH CHANGEDSINCE),
 * applied to the target's copies found through the write-ahead state's APPENDUIDs — O(changes).
 * Otherwise the UID scan (new mail only), which leaves a mark when the source offers either, so the
 * next pass can be a delta.
 */
export async function copyFolder(c: CopyContext, d: DeltaContext, m: FolderMapping, listed: ListedFolder): Promise<void> {
  const path = m.sourcePath;
  const status = listed.status;
  const uidValidity = Number(status?.uidValidity ?? 0);
  // HIGHESTMODSEQ 0: the folder keeps no mod-sequences (RFC 7162 §3.1.2.1, NOMODSEQ), so no mark can follow its flags.
  const modseq = status?.highestModseq && BigInt(status.highestModseq) > 0n ? status.highestModseq : undefined;
  const mark = c.store.modseq.get(path);
  const scan = async (reason: string): Promise<void> => {
    if (mark) c.store.modseq.forget(path);
    await new FolderCopier(c, m, listed).run();
    if (d.reader && modseq !== undefined && uidValidity > 0 && isComplete(c, path)) c.store.modseq.save(path, { uidValidity, highestModseq: modseq });
    d.passes.push(pass(path, 'uid-scan', reason));
  };
  if (!d.reader || modseq === undefined) return scan(d.reader ? 'the source keeps no mod-sequences for this folder' : 'the source offers neither CONDSTORE nor QRESYNC');
  if (!mark) return scan('no earlier complete pass recorded a HIGHESTMODSEQ');
  if (mark.uidValidity !== uidValidity) return scan('UIDVALIDITY changed since the last pass');
  if (unchangedSince(c.store, path, status)) {
    await new FolderCopier(c, m, listed).run();
    d.passes.push(pass(path, 'unchanged', null));
    return;
  }
  const known = c.store.maxUid(path, uidValidity);
  if (noNewMail(c, path, status)) {
    // Only flags or expunges changed: nothing to copy, and the copies' identity is unchanged (counts verify it).
    c.counters.skipped += status?.messages ?? 0;
    c.unchanged.add(path);
    c.report(path);
  } else await new FolderCopier(c, m, listed).run();
  const changes = await d.reader.changesSince(path, mark, modseq);
  if (changes.uidValidity !== uidValidity || !changes.modseqKept) {
    // Changed between the listing and now: the next run scans (its listing shows the new UIDVALIDITY).
    c.store.modseq.forget(path);
    d.passes.push(pass(path, 'uid-scan', 'UIDVALIDITY changed during the run'));
    return;
  }
  const counts = await applyChanges({ store: c.store, editor: d.editor, syncDeletions: d.syncDeletions, dryRun: c.dryRun, warnings: c.warnings }, m, uidValidity, known, changes);
  if (!c.dryRun && isComplete(c, path)) {
    markDone(c.store, m, status ?? {}, { uidValidity, highestModseq: modseq });
    // Everything up to `known` was complete when the mark was left: the deep check looks at this pass's copies.
    if (known > 0) d.copiedBefore.set(path, known);
  }
  d.passes.push({ ...pass(path, 'delta', null), ...counts });
}

// STATUS shows no new UID since a complete pass (the count may differ: expunges are the delta's part).
function noNewMail(c: CopyContext, path: string, status: ListedFolder['status']): boolean {
  const prev = c.store.folder(path);
  return prev !== undefined && prev.status === 'done' && prev.uidValidity === Number(status?.uidValidity) && prev.uidNext === status?.uidNext && c.store.openCount(path) === 0;
}

function isComplete(c: CopyContext, path: string): boolean {
  return c.store.folder(path)?.status === 'done' && c.store.openCount(path) === 0;
}
