import type { ImapFlow } from 'imapflow';
import type { FetchConnection } from './fetch-connection.ts';
import { runUidWindow } from './memory-budget.ts';
import { fetchMeta, lockCurrentView, uidChunks, uidSet } from './message-meta.ts';
import type { LandedRow, StateStore } from './state-store.ts';
import { matchByKey } from './verify-bykey.ts';

// The deep check of one folder in windows: landed rows are read from SQLite a page at a time (by
// source UID, the primary key) and each page's target UIDs are looked up on the target with
// `UID SEARCH UID set` (RFC 3501 §6.4.4), so neither the rows nor the target's UID list of a
// folder is ever held whole. Rows the target does not hold at their APPENDUID are only counted; when
// there are some and the target holds messages no row claims, the slow path matches them by key.

/** The target folder as the deep check sees it: its UIDVALIDITY and count now, and which of some UIDs it holds. */
export interface TargetView {
  readonly uidValidity: number;
  readonly exists: number;
  /** UIDNEXT, or 0 when the server gave none. */
  readonly uidNext: number;
  /** The subset of `uids` the folder holds (an empty list asks nothing). */
  present(uids: readonly number[]): Promise<Set<number>>;
  /** The UIDs of the folder in a UID range such as `1:5000` (the slow path only). */
  uidsIn(range: string): Promise<Set<number>>;
  /** The identity keys of these messages (the slow path only). */
  keys(uids: readonly number[]): Promise<string[]>;
}

/** How a folder's landed rows and the target's messages matched. */
export interface FolderMatch {
  readonly landed: number;
  readonly missing: number;
  readonly extra: number;
}

/**
 * Matches the landed rows of a source folder with the target folder. A row whose APPENDUID (same
 * target UIDVALIDITY) is on the target is that message, unless another row claims the same UID;
 * the rest, and the target's messages no row claims, are matched by identity key.
 */
export async function matchFolder(store: StateStore, sourcePath: string, uidValidity: number, view: TargetView): Promise<FolderMatch> {
  // Target UIDs two landed rows claim (none, unless something recorded a copy twice): only the first claim counts.
  const shared = store.sharedTargetUids(sourcePath, uidValidity, view.uidValidity);
  const sharedClaimed = new Set<number>();
  // Landed rows per page, and so UIDs per SEARCH: the copy's UID window.
  const pageSize = runUidWindow();
  let unmatched = 0;
  let landed = 0;
  let claimed = 0;
  for (let after = 0; ; ) {
    const page = store.landedPage(sourcePath, uidValidity, after, pageSize);
    if (page.length === 0) break;
    after = page.at(-1)!.uid;
    landed += page.length;
    const located = page.filter((r) => r.targetUid !== null && r.targetUidValidity === view.uidValidity);
    const there = await view.present(located.map((r) => r.targetUid!));
    for (const r of page) {
      const uid = r.targetUid;
      const claims = uid !== null && r.targetUidValidity === view.uidValidity && there.has(uid) && !(shared.has(uid) && sharedClaimed.has(uid));
      if (claims) {
        claimed++;
        if (shared.has(uid)) sharedClaimed.add(uid);
      } else unmatched++;
    }
  }
  const unclaimed = view.exists - claimed;
  if (unmatched === 0 || unclaimed <= 0) return { landed, missing: unmatched, extra: Math.max(0, unclaimed) };
  return matchByKey(store, sourcePath, uidValidity, view);
}

/** The target folder through the raw connection: opened (or synced with NOOP), looked up a page at a time. */
export async function rawView(raw: FetchConnection, path: string, client: () => Promise<ImapFlow>): Promise<TargetView> {
  const box = await raw.open(path);
  return {
    uidValidity: box.uidValidity,
    exists: box.exists,
    uidNext: box.uidNext,
    present: (uids) => inChunks(uids, (set) => searchUids(raw, `UID SEARCH UID ${set}`)),
    uidsIn: (range) => searchUids(raw, `UID SEARCH UID ${range}`),
    keys: async (uids) => keysOf(await client(), path, uids),
  };
}

/** The target folder through imapflow (no raw connection): the view after a NOOP, looked up a page at a time. */
export async function flowView(client: ImapFlow, path: string): Promise<TargetView> {
  const lock = await lockCurrentView(client, path);
  const box = client.mailbox;
  lock.release();
  const uidValidity = box ? Number(box.uidValidity) : 0;
  const search = async (range: string): Promise<Set<number>> => {
    const l = await client.getMailboxLock(path, { readOnly: true });
    try {
      return new Set((await client.search({ uid: range }, { uid: true })) || []);
    } finally {
      l.release();
    }
  };
  return {
    uidValidity,
    exists: box ? box.exists : 0,
    uidNext: box ? box.uidNext : 0,
    present: (uids) => inChunks(uids, search),
    uidsIn: search,
    keys: (uids) => keysOf(client, path, uids),
  };
}

// The UIDs found, asked about at most 2,000 at a time: a sparse page's set could otherwise outgrow a server's command line (Dovecot: 64 KB).
async function inChunks(uids: readonly number[], ask: (set: string) => Promise<Set<number>>): Promise<Set<number>> {
  const found = new Set<number>();
  for (const set of uidChunks(uids, 2000)) for (const uid of await ask(set)) found.add(uid);
  return found;
}

/** The UIDs of a `UID SEARCH` answer on the raw connection (throws on a refusal). */
export async function searchUids(raw: FetchConnection, command: string): Promise<Set<number>> {
  const out = new Set<number>();
  const answer = await raw.collect(command);
  if (answer.status !== 'OK') throw Object.assign(new Error(`${command.slice(0, 40)}: ${answer.text}`), { responseStatus: answer.status, responseText: answer.text });
  for (const { text } of answer.responses) if (/^\* SEARCH\b/i.test(text)) for (const n of text.slice(8).trim().split(' ')) if (n) out.add(Number(n));
  return out;
}

async function keysOf(client: ImapFlow, path: string, uids: readonly number[]): Promise<string[]> {
  if (uids.length === 0) return [];
  const lock = await client.getMailboxLock(path, { readOnly: true });
  try {
    return (await fetchMeta(client, uidSet(uids))).map((k) => k.key);
  } finally {
    lock.release();
  }
}

/**
 * How many of the copies a delta pass made (source UIDs above `upTo`) are not on the target at
 * their APPENDUID, a page at a time (`UID FETCH set (UID)`: O(copies), not the folder's every
 * UID); null when one has no target UID of this UIDVALIDITY to look by.
 */
export async function newCopiesMissing(raw: FetchConnection, path: string, store: StateStore, sourcePath: string, uidValidity: number, upTo: number): Promise<number | null> {
  const box = await raw.open(path);
  let missing = 0;
  for (let after = upTo; ; ) {
    const page: LandedRow[] = store.landedPage(sourcePath, uidValidity, after, runUidWindow());
    if (page.length === 0) return missing;
    after = page.at(-1)!.uid;
    if (page.some((r) => r.targetUid === null || r.targetUidValidity !== box.uidValidity)) return null;
    const wanted = page.map((r) => r.targetUid!);
    const found = await inChunks(wanted, (set) => fetchedUids(raw, set));
    missing += wanted.filter((u) => !found.has(u)).length;
  }
}

// The UIDs a `UID FETCH set (UID)` answers with.
async function fetchedUids(raw: FetchConnection, set: string): Promise<Set<number>> {
  const answer = await raw.collect(`UID FETCH ${set} (UID)`);
  if (answer.status !== 'OK') throw Object.assign(new Error(`UID FETCH: ${answer.text}`), { responseStatus: answer.status, responseText: answer.text });
  const found = new Set<number>();
  for (const { text } of answer.responses) {
    const uid = /^\* \d+ FETCH \(/i.test(text) ? /[( ]UID (\d+)/i.exec(text) : null;
    if (uid) found.add(Number(uid[1]));
  }
  return found;
}
