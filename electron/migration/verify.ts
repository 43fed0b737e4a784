import type { ImapFlow } from 'imapflow';
import type { ListedFolder } from './raw-listing.ts';
import type { Recount } from './run-listing.ts';
import type { MigrationFolderReport } from '../../shared/domain/migration.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { FolderMapping } from './folder-map.ts';
import type { MessageState, StateStore } from './state-store.ts';
import { PrefetchedViews } from './verify-prefetch.ts';
import { flowView, matchFolder, newCopiesMissing, rawView } from './verify-window.ts';

/** Per-folder verification: the report the IPC contract carries (shared/domain/migration.ts). */
export type FolderVerification = MigrationFolderReport;

/** Copies of a source folder (of this UIDVALIDITY) the content check found at their target UID this run, all in one target UIDVALIDITY. */
export type FoundOnTarget = (sourcePath: string, uidValidity: number) => { readonly targetUidValidity: number; readonly count: number } | null;

/**
 * Builds the verification report. Shallow: from STATUS counts and the state store. Deep: reads
 * every target message's key (Message-ID + date + size, or header hash) and matches it against
 * the source messages the state store says landed, so a lost or doubled copy shows up.
 */
export async function verifyFolders(
  source: () => Promise<ImapFlow>,
  target: () => Promise<ImapFlow>,
  store: StateStore,
  work: readonly FolderMapping[],
  deep: boolean,
  known: { readonly unchanged?: ReadonlySet<string>; readonly sourceStatus?: ReadonlyMap<string, ListedFolder>; readonly targetRaw?: () => Promise<FetchConnection | null>; readonly targetListed?: readonly ListedFolder[]; readonly copiedBefore?: ReadonlyMap<string, number>; readonly recount?: () => Promise<Recount>; readonly foundOnTarget?: FoundOnTarget } = {},
): Promise<FolderVerification[]> {
  const out: FolderVerification[] = [];
  const counts = store.folderCounts();
  // Counts for every folder from one LIST-STATUS per side (RFC 5819), not two STATUS round trips per folder.
  const unchanged = known.unchanged ?? new Set<string>();
  const allQuiet = work.every((m) => unchanged.has(m.sourcePath));
  // Nothing copied: the source listing from the start of the run is current enough.
  // On the run's raw sessions when it has them (run-listing.ts): no imapflow login only to count.
  const recounted = !allQuiet && known.recount ? await known.recount() : null;
  const sourceStatus = recounted?.source ?? (allQuiet ? new Map<string, ListedFolder['status']>() : new Map((await (await source()).list({ statusQuery: { messages: true, uidValidity: true } })).map((f) => [f.path, f.status])));
  // On a no-change re-run the target's listing from the start of the run (with counts) is current too.
  // Dovecot answers STATUS (and LIST-STATUS) for the mailbox a session has selected from that
  // session's own, older view: 0 messages where 180 had landed. Unselect before counting.
  if (!allQuiet && !recounted) {
    const t = await target();
    if (t.mailbox) await t.mailboxClose();
  }
  const targetStatus = recounted?.target ?? (allQuiet && known.targetListed ? new Map(known.targetListed.map((f) => [f.path, f.status])) : new Map((await (await target()).list({ statusQuery: { messages: true } })).map((f) => [f.path, f.status])));
  // Each folder to check deeply is looked up a page of UIDs at a time, on a raw connection when there is one.
  const before = known.copiedBefore ?? new Map<string, number>();
  const raw = deep && work.some((m) => !unchanged.has(m.sourcePath)) ? await known.targetRaw?.() : null;
  const sourceOf = (m: FolderMapping): ListedFolder['status'] => sourceStatus.get(m.sourcePath) ?? known.sourceStatus?.get(m.sourcePath)?.status;
  // Folders whose every landed copy this run's content check found at its target UID: already matched, nothing to look up.
  const provenLanded = (m: FolderMapping, uidValidity: number): number | null => {
    const found = known.foundOnTarget?.(m.sourcePath, uidValidity);
    const c = counts.get(m.sourcePath) ?? {};
    const landed = (c.done ?? 0) + (c.skipped ?? 0);
    return found && found.count === landed && store.sharedTargetUids(m.sourcePath, uidValidity, found.targetUidValidity).size === 0 ? landed : null;
  };
  // Folders matched in full (not quiet, not a delta's new copies), in order: small ones are opened and searched a batch at a time.
  const matched = work.flatMap((m) => {
    const validity = sourceOf(m)?.uidValidity;
    return deep && !unchanged.has(m.sourcePath) && !before.has(m.sourcePath) && validity !== undefined && provenLanded(m, Number(validity)) === null ? [{ sourcePath: m.sourcePath, uidValidity: Number(validity), targetPath: m.targetPath! }] : [];
  });
  const prefetched = raw ? new PrefetchedViews(raw, target, store, matched) : null;
  for (const m of work) {
    const tPath = m.targetPath!;
    // Folders nothing happened to (same UIDVALIDITY, UIDNEXT and count as after a complete pass) are checked by count only.
    const quiet = unchanged.has(m.sourcePath);
    const s = sourceOf(m);
    const t = targetStatus.get(tPath);
    const sourceCount = s ? (s.messages ?? 0) : 0;
    const targetCount = t ? (t.messages ?? 0) : 0;
    const landedOnTarget = store.landedCount(tPath);
    const shallow = countVerification(store, m, sourceCount, targetCount, counts, landedOnTarget);
    let { missing, extra } = shallow;
    const uidValidity = Number(s?.uidValidity ?? 0);
    const upTo = before.get(m.sourcePath);
    // A delta pass over a folder complete before it, whose target still holds at least every landed copy:
    // this pass's copies are looked up by APPENDUID, the earlier ones were checked by the pass that made them.
    const newMissing = deep && !quiet && raw && upTo !== undefined && targetCount >= landedOnTarget ? await newCopiesMissing(raw, tPath, store, m.sourcePath, uidValidity, upTo) : null;
    if (newMissing !== null) missing += newMissing;
    const proven = newMissing === null && deep && !quiet && s?.uidValidity !== undefined ? provenLanded(m, uidValidity) : null;
    if (proven !== null) {
      missing = Math.max(0, sourceCount - proven);
      extra = Math.max(0, targetCount - proven);
    } else if (deep && !quiet && s && s.uidValidity !== undefined) {
      // Paged from SQLite and looked up on the target a page at a time: no list of the folder is held.
      const view = (await prefetched?.take(m.sourcePath)) ?? (raw ? await rawView(raw, tPath, target).catch(() => null) : null) ?? (await flowView(await target(), tPath));
      const notThere = await matchFolder(store, m.sourcePath, Number(s.uidValidity), view);
      missing = Math.max(0, sourceCount - notThere.landed) + notThere.missing;
      extra = notThere.extra;
    }
    out.push({ ...shallow, missing, extra, deep: deep && !quiet });
  }
  return out;
}

/** One folder's count-only verification: STATUS counts on both sides against what the state store says landed. */
export function countVerification(
  store: StateStore,
  m: FolderMapping,
  sourceCount: number,
  targetCount: number,
  counts: ReadonlyMap<string, Partial<Record<MessageState, number>>>,
  landedOnTarget: number = store.landedCount(m.targetPath!),
): FolderVerification {
  const c = counts.get(m.sourcePath) ?? {};
  const landed = (c.done ?? 0) + (c.skipped ?? 0);
  return {
    sourcePath: m.sourcePath,
    targetPath: m.targetPath!,
    sourceCount,
    targetCount,
    copied: landed,
    failed: c.failed ?? 0,
    missing: Math.max(0, sourceCount - landed),
    extra: Math.max(0, targetCount - landedOnTarget),
    deep: false,
  };
}
