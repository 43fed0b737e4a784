import type { MigrationFolderPass } from '../../shared/domain/migration-copy.ts';
import type { FolderStatus } from './folder-status.ts';
import { filterFlags } from './flags.ts';
import type { FolderMapping } from './folder-map.ts';
import type { Counterpart, ModseqMark } from './modseq-state.ts';
import type { ChangeReader } from './condstore-reader.ts';
import type { FolderChanges } from './qresync-reader.ts';
import type { StateStore } from './state-store.ts';
import type { SelectedTarget, TargetEditor } from './target-editor.ts';

/** What the delta passes of a run share. */
export interface DeltaContext {
  /** The source's change reader (QRESYNC, or CONDSTORE alone); null when the source offers neither. */
  readonly reader: ChangeReader | null;
  /** Expunge on the target what the source expunged (an option, off by default). */
  readonly syncDeletions: boolean;
  readonly editor: TargetEditor;
  /** One entry per folder worked on, for the report. */
  readonly passes: MigrationFolderPass[];
  /** Folders that took the delta path with new mail: the highest source UID copied before this pass. */
  readonly copiedBefore: Map<string, number>;
}

const DELETED = '\\deleted';

/**
 * Records a complete delta: the folder's count as STATUS showed it (after expunges, so the next
 * run can tell "nothing changed" again) and the new mark.
 */
export function markDone(store: StateStore, m: FolderMapping, status: FolderStatus, mark: ModseqMark): void {
  const prev = store.folder(m.sourcePath);
  if (prev && status.messages !== undefined && prev.uidNext === status.uidNext) store.saveFolder({ ...prev, messages: status.messages, specialUse: m.specialUse, lastError: null });
  store.modseq.save(m.sourcePath, mark);
}

type Applied = Pick<MigrationFolderPass, 'flagsUpdated' | 'vanished' | 'expunged' | 'unmatched'>;

/** Where a folder's delta is applied, and with which settings. */
export interface DeltaTarget {
  readonly store: StateStore;
  readonly editor: TargetEditor;
  readonly syncDeletions: boolean;
  readonly dryRun: boolean;
  readonly warnings: string[];
}

/**
 * Applies a folder's changes to the target: flags of messages copied before this pass (`known`:
 * the highest UID copied then; newer ones were just copied with their flags), then, when asked,
 * expunges; both on the copies the write-ahead state knows by APPENDUID.
 */
export async function applyChanges(t: DeltaTarget, m: FolderMapping, uidValidity: number, known: number, changes: FolderChanges): Promise<Applied> {
  const path = m.sourcePath;
  const flagsOf = new Map(changes.changed.filter((x) => x.uid <= known).map((x) => [x.uid, x.flags]));
  const changedRows = t.store.modseq.landed(path, uidValidity, [...flagsOf.keys()].map((u) => [u, u] as const));
  const goneRows = t.store.modseq.landed(path, uidValidity, changes.vanished);
  if (t.dryRun || (changedRows.length === 0 && goneRows.length === 0)) return { flagsUpdated: 0, vanished: goneRows.length, expunged: 0, unmatched: 0 };
  return t.editor.edit(m.targetPath!, async (target) => {
    const sameTarget = (r: Counterpart): boolean => r.targetUid !== null && r.targetUidValidity === target.box.uidValidity;
    const flagged = changedRows.filter(sameTarget);
    const permanent = target.box.permanentFlags ? new Set(target.box.permanentFlags) : undefined;
    const flagsUpdated = await setFlags(t, target, flagged, flagsOf, permanent, path);
    const deletable = t.syncDeletions ? goneRows.filter(sameTarget) : [];
    let expunged = 0;
    if (deletable.length > 0) {
      if (await target.expunge(deletable.map((r) => r.targetUid!))) {
        t.store.modseq.forgetMessages(path, uidValidity, deletable.map((r) => r.uid));
        expunged = deletable.length;
      } else t.warnings.push(`${path}: the target refused UID EXPUNGE (no UIDPLUS); ${deletable.length} copies of messages expunged on the source were kept`);
    }
    const unmatched = changedRows.length - flagged.length + (t.syncDeletions ? goneRows.length - deletable.length : 0);
    if (unmatched > 0) t.warnings.push(`${path}: ${unmatched} change(s) not applied: no target UID is known for those copies (found on the target by content, not appended by this job)`);
    return { flagsUpdated, vanished: goneRows.length, expunged, unmatched };
  });
}

/**
 * Sets each copy's flags to the source's, grouped by flag set (one UID STORE per group). \Deleted
 * is left as the target has it: a copy marked deleted would be expunged by any client's CLOSE,
 * and deletions travel only as expunges, when asked. Returns how many copies were set.
 */
async function setFlags(
  t: DeltaTarget,
  target: SelectedTarget,
  rows: readonly Counterpart[],
  flagsOf: ReadonlyMap<number, readonly string[]>,
  permanent: ReadonlySet<string> | undefined,
  sourcePath: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  const now = await target.flags(rows.map((r) => r.targetUid!));
  const groups = new Map<string, { flags: string[]; uids: number[] }>();
  const dropped = new Set<string>();
  for (const r of rows) {
    const current = now.get(r.targetUid!);
    // Gone from the target meanwhile: nothing to set.
    if (!current) continue;
    const filtered = filterFlags((flagsOf.get(r.uid) ?? []).filter((f) => f.toLowerCase() !== DELETED), permanent);
    for (const f of filtered.dropped) dropped.add(f);
    const flags = current.some((f) => f.toLowerCase() === DELETED) ? [...filtered.kept, '\\Deleted'] : filtered.kept;
    const key = [...flags].sort().join(' ');
    const group = groups.get(key) ?? { flags, uids: [] };
    group.uids.push(r.targetUid!);
    groups.set(key, group);
  }
  await target.setFlags([...groups.values()]);
  if (dropped.size > 0) t.warnings.push(`${sourcePath}: flags the target refuses were not set: ${[...dropped].join(' ')}`);
  return [...groups.values()].reduce((n, g) => n + g.uids.length, 0);
}

/** A pass entry with nothing applied yet. */
export function pass(sourcePath: string, path: MigrationFolderPass['path'], reason: string | null): MigrationFolderPass {
  return { sourcePath, path, reason, flagsUpdated: 0, vanished: 0, expunged: 0, unmatched: 0 };
}
