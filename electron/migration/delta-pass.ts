import type { ImapFlow, ListResponse } from 'imapflow';
import type { MigrationFolderPass } from '../../shared/domain/migration.ts';
import type { CopyContext } from './folder-copier.ts';
import { FolderCopier } from './folder-copier.ts';
import { unchangedSince } from './folder-status.ts';
import { filterFlags } from './flags.ts';
import type { FolderMapping } from './folder-map.ts';
import { uidSet } from './message-meta.ts';
import type { Counterpart, ModseqMark } from './modseq-state.ts';
import type { FolderChanges, QresyncReader } from './qresync-reader.ts';

/** What the delta passes of a run share. */
export interface DeltaContext {
  /** The source's QRESYNC connection; null when the source does not offer QRESYNC. */
  readonly reader: QresyncReader | null;
  /** Expunge on the target what the source expunged (an option, off by default). */
  readonly syncDeletions: boolean;
  /** One entry per folder worked on, for the report. */
  readonly passes: MigrationFolderPass[];
}

const DELETED = '\\deleted';

/**
 * Copies one folder the cheapest way its source allows. With QRESYNC and a mark from a complete
 * earlier pass under the same UIDVALIDITY: new mail by UID as always, then one EXAMINE (QRESYNC …)
 * for the flag changes and expunges since the mark, applied to the target's copies found through
 * the write-ahead state's APPENDUIDs — O(changes). Otherwise the UID scan (new mail only), which
 * leaves a mark when the source offers CONDSTORE, so the next pass can be a delta.
 */
export async function copyFolder(c: CopyContext, d: DeltaContext, m: FolderMapping, listed: ListResponse): Promise<void> {
  const path = m.sourcePath;
  const status = listed.status;
  const uidValidity = Number(status?.uidValidity ?? 0);
  const modseq = status?.highestModseq;
  const mark = c.store.modseq.get(path);
  const scan = async (reason: string): Promise<void> => {
    if (mark) c.store.modseq.forget(path);
    await new FolderCopier(c, m, listed).run();
    if (d.reader && modseq !== undefined && uidValidity > 0 && isComplete(c, path)) c.store.modseq.save(path, { uidValidity, highestModseq: modseq });
    d.passes.push(pass(path, 'uid-scan', reason));
  };
  if (!d.reader || modseq === undefined) return scan(d.reader ? 'the source keeps no mod-sequences for this folder' : 'the source offers no QRESYNC');
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
  const changes = await d.reader.changesSince(path, mark);
  if (changes.uidValidity !== uidValidity || !changes.modseqKept) {
    // Changed between the listing and now: the next run scans (its listing shows the new UIDVALIDITY).
    c.store.modseq.forget(path);
    d.passes.push(pass(path, 'uid-scan', 'UIDVALIDITY changed during the run'));
    return;
  }
  const counts = await applyChanges(c, d, m, uidValidity, known, changes);
  if (!c.dryRun && isComplete(c, path)) {
    // The count STATUS now shows (after expunges), so the next run can tell "nothing changed" again.
    const prev = c.store.folder(path)!;
    if (status?.messages !== undefined && prev.uidNext === status.uidNext) c.store.saveFolder({ ...prev, messages: status.messages, specialUse: m.specialUse, lastError: null });
    c.store.modseq.save(path, { uidValidity, highestModseq: modseq } satisfies ModseqMark);
  }
  d.passes.push({ ...pass(path, 'delta', null), ...counts });
}

type Applied = Pick<MigrationFolderPass, 'flagsUpdated' | 'vanished' | 'expunged' | 'unmatched'>;

// Flag changes of messages copied before this pass (newer ones were just copied with their flags),
// then, when asked, expunges; both on the target folder, found through APPENDUID.
async function applyChanges(c: CopyContext, d: DeltaContext, m: FolderMapping, uidValidity: number, known: number, changes: FolderChanges): Promise<Applied> {
  const path = m.sourcePath;
  const flagsOf = new Map(changes.changed.filter((x) => x.uid <= known).map((x) => [x.uid, x.flags]));
  const changedRows = c.store.modseq.landed(path, uidValidity, [...flagsOf.keys()].map((u) => [u, u] as const));
  const goneRows = c.store.modseq.landed(path, uidValidity, changes.vanished);
  if (c.dryRun || (changedRows.length === 0 && goneRows.length === 0)) return { flagsUpdated: 0, vanished: goneRows.length, expunged: 0, unmatched: 0 };
  const target = await c.target();
  const lock = await target.getMailboxLock(m.targetPath!);
  try {
    const box = target.mailbox;
    const sameTarget = (r: Counterpart): boolean => r.targetUid !== null && box !== false && r.targetUidValidity === Number(box.uidValidity);
    const flagged = changedRows.filter(sameTarget);
    const flagsUpdated = await setFlags(c, target, flagged, flagsOf, box ? box.permanentFlags : undefined, m.sourcePath);
    const deletable = goneRows.filter(sameTarget);
    let expunged = 0;
    if (d.syncDeletions && deletable.length > 0) {
      await target.messageDelete(uidSet(deletable.map((r) => r.targetUid!)), { uid: true });
      c.store.modseq.forgetMessages(path, uidValidity, deletable.map((r) => r.uid));
      expunged = deletable.length;
    }
    const unmatched = changedRows.length - flagged.length + (d.syncDeletions ? goneRows.length - deletable.length : 0);
    if (unmatched > 0) c.warnings.push(`${path}: ${unmatched} change(s) not applied: no target UID is known for those copies (found on the target by content, not appended by this job)`);
    return { flagsUpdated, vanished: goneRows.length, expunged, unmatched };
  } finally {
    lock.release();
  }
}

/**
 * Sets each copy's flags to the source's, grouped by flag set (one UID STORE per group). \Deleted
 * is left as the target has it: a copy marked deleted would be expunged by any client's CLOSE,
 * and deletions travel only as expunges, when asked. Returns how many copies were set.
 */
async function setFlags(
  c: CopyContext,
  target: ImapFlow,
  rows: readonly Counterpart[],
  flagsOf: ReadonlyMap<number, readonly string[]>,
  permanent: ReadonlySet<string> | undefined,
  sourcePath: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  const deletedNow = new Set<number>();
  for await (const msg of target.fetch(uidSet(rows.map((r) => r.targetUid!)), { uid: true, flags: true }, { uid: true })) {
    if ([...(msg.flags ?? [])].some((f) => f.toLowerCase() === DELETED)) deletedNow.add(msg.uid);
  }
  const groups = new Map<string, { flags: string[]; uids: number[] }>();
  const dropped = new Set<string>();
  for (const r of rows) {
    const filtered = filterFlags((flagsOf.get(r.uid) ?? []).filter((f) => f.toLowerCase() !== DELETED), permanent);
    for (const f of filtered.dropped) dropped.add(f);
    const flags = deletedNow.has(r.targetUid!) ? [...filtered.kept, '\\Deleted'] : filtered.kept;
    const key = [...flags].sort().join(' ');
    const group = groups.get(key) ?? { flags, uids: [] };
    group.uids.push(r.targetUid!);
    groups.set(key, group);
  }
  for (const g of groups.values()) await target.messageFlagsSet(uidSet(g.uids), g.flags, { uid: true });
  if (dropped.size > 0) c.warnings.push(`${sourcePath}: flags the target refuses were not set: ${[...dropped].join(' ')}`);
  return rows.length;
}

// STATUS shows no new UID since a complete pass (the count may differ: expunges are the delta's part).
function noNewMail(c: CopyContext, path: string, status: ListResponse['status']): boolean {
  const prev = c.store.folder(path);
  return prev !== undefined && prev.status === 'done' && prev.uidValidity === Number(status?.uidValidity) && prev.uidNext === status?.uidNext && c.store.openCount(path) === 0;
}

function isComplete(c: CopyContext, path: string): boolean {
  return c.store.folder(path)?.status === 'done' && c.store.openCount(path) === 0;
}

function pass(sourcePath: string, path: MigrationFolderPass['path'], reason: string | null): MigrationFolderPass {
  return { sourcePath, path, reason, flagsUpdated: 0, vanished: 0, expunged: 0, unmatched: 0 };
}
