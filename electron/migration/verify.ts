import type { ImapFlow, ListResponse } from 'imapflow';
import type { MigrationFolderReport } from '../../shared/domain/migration.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { FolderMapping } from './folder-map.ts';
import { KeyMatcher } from './message-key.ts';
import { fetchMeta, lockCurrentView, uidChunks, uidSet } from './message-meta.ts';
import type { LandedRow, MessageState, StateStore } from './state-store.ts';

/** Per-folder verification: the report the IPC contract carries (shared/domain/migration.ts). */
export type FolderVerification = MigrationFolderReport;

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
  known: { readonly unchanged?: ReadonlySet<string>; readonly sourceStatus?: ReadonlyMap<string, ListResponse>; readonly targetRaw?: () => Promise<FetchConnection | null>; readonly targetListed?: readonly ListResponse[]; readonly copiedBefore?: ReadonlyMap<string, number> } = {},
): Promise<FolderVerification[]> {
  const out: FolderVerification[] = [];
  const counts = store.folderCounts();
  // Counts for every folder from one LIST-STATUS per side (RFC 5819), not two STATUS round trips per folder.
  const unchanged = known.unchanged ?? new Set<string>();
  const allQuiet = work.every((m) => unchanged.has(m.sourcePath));
  // Nothing copied: the source listing from the start of the run is current enough.
  const sourceStatus = allQuiet ? new Map<string, ListResponse['status']>() : new Map((await (await source()).list({ statusQuery: { messages: true, uidValidity: true } })).map((f) => [f.path, f.status]));
  // On a no-change re-run the target's listing from the start of the run (with counts) is current too.
  // Dovecot answers STATUS (and LIST-STATUS) for the mailbox a session has selected from that
  // session's own, older view: 0 messages where 180 had landed. Unselect before counting.
  if (!allQuiet) {
    const t = await target();
    if (t.mailbox) await t.mailboxClose();
  }
  const targetStatus = allQuiet && known.targetListed ? new Map(known.targetListed.map((f) => [f.path, f.status])) : new Map((await (await target()).list({ statusQuery: { messages: true } })).map((f) => [f.path, f.status]));
  // Every UID of every folder to check deeply, pipelined on a raw connection (one round trip), when there is one.
  const before = known.copiedBefore ?? new Map<string, number>();
  const deepPaths = deep ? work.filter((m) => !unchanged.has(m.sourcePath) && !before.has(m.sourcePath)).map((m) => m.targetPath!) : [];
  const raw = deepPaths.length > 0 || (deep && work.some((m) => before.has(m.sourcePath))) ? await known.targetRaw?.() : null;
  const uidLists = raw ? await raw.listUids(deepPaths).catch(() => null) : null;
  for (const m of work) {
    const tPath = m.targetPath!;
    // Folders nothing happened to (same UIDVALIDITY, UIDNEXT and count as after a complete pass) are checked by count only.
    const quiet = unchanged.has(m.sourcePath);
    const s = sourceStatus.get(m.sourcePath) ?? known.sourceStatus?.get(m.sourcePath)?.status;
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
    const newMissing = deep && !quiet && raw && upTo !== undefined && targetCount >= landedOnTarget ? await newCopiesMissing(raw, tPath, () => store.landedIn(m.sourcePath, uidValidity, upTo)) : null;
    if (newMissing !== null) missing += newMissing;
    else if (deep && !quiet && s && s.uidValidity !== undefined) {
      // Streamed from SQLite: only rows that need their key matched are held, not the whole folder.
      const notThere = await matchOnTarget(await target(), tPath, () => store.landedIn(m.sourcePath, Number(s.uidValidity)), uidLists?.get(tPath) ?? null);
      missing = Math.max(0, sourceCount - notThere.landed) + notThere.missing;
      extra = notThere.extra;
    }
    out.push({ ...shallow, missing, extra, deep: deep && !quiet });
  }
  return out;
}

/**
 * How many of the given copies are not on the target at their APPENDUID (`UID FETCH set (UID)`:
 * O(copies), not the folder's every UID); null when one has no target UID of this UIDVALIDITY to look by.
 */
export async function newCopiesMissing(raw: FetchConnection, path: string, rows: () => Iterable<LandedRow>): Promise<number | null> {
  const box = await raw.open(path);
  const wanted: number[] = [];
  for (const r of rows()) {
    if (r.targetUid === null || r.targetUidValidity !== box.uidValidity) return null;
    wanted.push(r.targetUid);
  }
  const found = new Set<number>();
  for (const set of uidChunks(wanted, 2000)) {
    const answer = await raw.collect(`UID FETCH ${set} (UID)`);
    if (answer.status !== 'OK') throw Object.assign(new Error(`UID FETCH: ${answer.text}`), { responseStatus: answer.status, responseText: answer.text });
    for (const { text } of answer.responses) {
      const uid = /^\* \d+ FETCH \(/i.test(text) ? /[( ]UID (\d+)/i.exec(text) : null;
      if (uid) found.add(Number(uid[1]));
    }
  }
  return wanted.filter((u) => !found.has(u)).length;
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

/**
 * Matches landed rows with the target folder's messages. A row whose APPENDUID (same target
 * UIDVALIDITY) is still on the target is that message: one cheap `UID FETCH 1:* (UID)` settles all
 * of those. The rest (messages found there by key, APPENDUID-less servers) and the target's
 * unclaimed UIDs are matched by identity key, fetched for those UIDs only.
 */
async function matchOnTarget(
  client: ImapFlow,
  path: string,
  landed: () => Iterable<LandedRow>,
  listed: { readonly uidValidity: number; readonly uids: readonly number[] } | null,
): Promise<{ landed: number; missing: number; extra: number }> {
  let validity: number;
  let uids: readonly number[];
  if (listed) ({ uidValidity: validity, uids } = listed);
  else {
    const lock = await lockCurrentView(client, path);
    try {
      validity = Number(client.mailbox ? client.mailbox.uidValidity : 0);
      uids = client.mailbox && client.mailbox.exists > 0 ? (await client.search({ all: true }, { uid: true })) || [] : [];
    } finally {
      lock.release();
    }
  }
  const unclaimed = new Set(uids);
  const byKey: LandedRow[] = [];
  let count = 0;
  for (const r of landed()) {
    count++;
    if (r.targetUid !== null && r.targetUidValidity === validity && unclaimed.delete(r.targetUid)) continue;
    byKey.push(r);
  }
  if (byKey.length === 0 || unclaimed.size === 0) return { landed: count, missing: byKey.length, extra: unclaimed.size };
  const lock = await client.getMailboxLock(path, { readOnly: true });
  try {
    const onTarget = new KeyMatcher((await fetchMeta(client, uidSet([...unclaimed]))).map((k) => k.key));
    const missing = onTarget.claim(byKey.map((r) => r.key)).filter((hit) => !hit).length;
    return { landed: count, missing, extra: onTarget.size };
  } finally {
    lock.release();
  }
}
