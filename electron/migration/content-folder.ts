import type { FetchConnection } from './fetch-connection.ts';
import type { FetcherPool } from './fetcher-pool.ts';
import type { ContentLedger, ContentRow } from './content-state.ts';
import { describeDifference, sha1Hex } from './content-diff.ts';
import { releaseLiteral } from '../imap/response-reader.ts';
import { runUidWindow } from './memory-budget.ts';
import { uidChunks, uidSet } from './message-meta.ts';
import type { StateStore } from './state-store.ts';

// One target folder's content check (split from content-verify.ts, which schedules these folder by
// folder while the copy goes on and several at once at the end).

/** The stable code of a copy whose bytes are not the source's. */
export const CONTENT_DIFFERS = 'migration.contentDiffers';

// Copies compared per FETCH: a bounded answer for digests, a bounded stream for re-reads (the
// copy's UID window when that is smaller: tests set a small one to cross windows).
const CHUNK = 1000;

/** What checking one folder needs: the job's rows, source connections to borrow, and where to count progress. */
export interface FolderCheckSetup {
  readonly store: StateStore;
  readonly ledger: ContentLedger;
  readonly fetchers: Pick<FetcherPool, 'borrow' | 'giveBack'>;
  readonly signal?: AbortSignal | undefined;
  /** Called after each window with how many copies it found the same and how many different. */
  readonly onSettled: (same: number, differed: number) => void;
  /** Called after each window with the copies it found the same at their target UID (in a folder of that UIDVALIDITY); a differing one is failed, no longer landed. */
  readonly onFound?: (rows: readonly ContentRow[], targetUidValidity: number) => void;
}

/** Which windows to compare: those above target UID `after`, `size` UIDs each, while one holds at least `minRows` copies. */
export interface WindowPlan {
  readonly after: number;
  readonly size: number;
  readonly minRows: number;
  /**
   * Leave a differing copy unchecked for the folder's own check to compare again and explain: saying how
   * it differs reads the source once more, and while the copy goes on that means a source login, which
   * held up the folder's next windows (a corpus run: 0.5 s, and 845 of Junk's copies left to the tail).
   */
  readonly leaveDifferences?: boolean;
}

/** One folder's outcome: copies that matched, differed, or could not be compared, and the notes saying why; `after`: the last target UID looked at. */
export interface FolderOutcome {
  readonly checked: number;
  readonly differed: number;
  readonly unchecked: number;
  readonly notes: readonly string[];
  readonly after: number;
}

/**
 * Compares the unchecked copies of one target folder, a window of CHUNK target UIDs at a time: the
 * target's hashes (`digest`: FETCH DIGEST.SHA1; else a streamed re-read) against the SHA-1 of the
 * source bytes. A difference fails the row with the reason in words. The first window's FETCH goes
 * out behind the EXAMINE, before its answer: one round trip for a small folder. A folder the
 * connection already has open (a delta's flag changes SELECTed it) is kept open and synced with
 * NOOP instead: BODY.PEEK[] and DIGEST.SHA1 set no flag, and on Maildir a reopen re-reads `cur/`.
 */
export async function checkTargetFolder(setup: FolderCheckSetup, raw: FetchConnection, targetPath: string, digest: boolean, plan: WindowPlan = { after: 0, size: Math.min(CHUNK, runUidWindow()), minRows: 1 }): Promise<FolderOutcome> {
  const { ledger, store } = setup;
  // A server may run a FETCH beside a NOOP (Dovecot does) and the FETCH could then miss what the NOOP
  // brings in (the uploads' copies): only behind an EXAMINE does the first FETCH go out unanswered.
  const reused = raw.hasOpen(targetPath);
  const opened = raw.open(targetPath);
  // Observed below; this keeps a refusal from counting as unhandled while the first window is read.
  opened.catch(() => undefined);
  const out = { checked: 0, differed: 0, unchecked: 0 };
  let box: { readonly uidValidity: number } | null = null;
  let incomparable = 0;
  let gone = 0;
  let after = plan.after;
  while (!setup.signal?.aborted) {
    const rows = ledger.toCheckAfter(targetPath, after, plan.size);
    if (rows.length === 0 || rows.length < plan.minRows) break;
    after = rows.at(-1)!.targetUid;
    // Sent before the EXAMINE is answered: rows of another target UIDVALIDITY are asked too, and their answers ignored.
    const early = box === null && !reused ? targetHashes(raw, uidSet(rows.map((r) => r.targetUid)), digest) : null;
    early?.catch(() => undefined);
    box ??= await opened;
    const valid = box.uidValidity;
    const inChunk = rows.filter((r) => r.targetUidValidity === null || r.targetUidValidity === valid);
    incomparable += rows.length - inChunk.length;
    if (inChunk.length === 0) {
      await early?.catch(() => undefined);
      continue;
    }
    const sourceHashes = await sourceHashesOf(setup, inChunk);
    const hashes = early ? await early : await targetHashes(raw, uidSet(inChunk.map((r) => r.targetUid)), digest);
    const same = new Set(inChunk.filter((r) => hashes.get(r.targetUid) === sourceHashes.get(r.uid + '@' + r.sourcePath)));
    const altered = inChunk.filter((r) => hashes.has(r.targetUid) && !same.has(r) && sourceHashes.has(r.uid + '@' + r.sourcePath));
    gone += inChunk.filter((r) => !hashes.has(r.targetUid)).length;
    ledger.markChecked([...same]);
    out.checked += same.size;
    out.unchecked += inChunk.length - same.size - altered.length;
    setup.onFound?.([...same].filter((r) => hashes.has(r.targetUid)), valid);
    if (plan.leaveDifferences) {
      setup.onSettled(same.size, 0);
      continue;
    }
    for (const r of altered) {
      const reason = await explain(setup, raw, r);
      store.fail(r, CONTENT_DIFFERS, `${reason}; the source message is unchanged`);
      ledger.markChecked([r]);
      out.differed++;
    }
    setup.onSettled(same.size, altered.length);
  }
  out.unchecked += incomparable;
  const notes: string[] = [];
  if (incomparable > 0) notes.push(`${targetPath}: ${incomparable} copied message(s) not compared: the target folder's UIDVALIDITY changed`);
  if (gone > 0) notes.push(`${targetPath}: ${gone} copied message(s) are no longer on the target`);
  return { ...out, notes, after };
}

// The target's hash of each copy of a UID set, by target UID (the FETCH is on the wire when this returns).
function targetHashes(raw: FetchConnection, uids: string, digest: boolean): Promise<Map<number, string>> {
  return digest ? digests(raw, uids) : rereadHashes(raw, uids);
}

// The source hash of each row: kept from the copy, else read again from the source (older jobs).
async function sourceHashesOf(setup: FolderCheckSetup, rows: readonly ContentRow[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const missing = new Map<string, ContentRow[]>();
  for (const r of rows) {
    if (r.contentSha1) out.set(r.uid + '@' + r.sourcePath, r.contentSha1);
    else missing.set(r.sourcePath, [...(missing.get(r.sourcePath) ?? []), r]);
  }
  for (const [sourcePath, list] of missing) {
    const source = await setup.fetchers.borrow();
    try {
      const box = await source.examine(sourcePath);
      const wanted = list.filter((r) => r.uidValidity === box.uidValidity);
      const learnt: (ContentRow & { contentSha1: string })[] = [];
      const byUid = new Map(wanted.map((r) => [r.uid, r]));
      for (const set of uidChunks(wanted.map((r) => r.uid), CHUNK)) {
        for await (const m of source.bodies(set)) {
          const r = byUid.get(m.uid);
          if (r) learnt.push({ ...r, contentSha1: sha1Hex(m.content) });
        }
      }
      setup.ledger.saveSourceHashes(learnt);
      for (const r of learnt) out.set(r.uid + '@' + r.sourcePath, r.contentSha1);
    } finally {
      setup.fetchers.giveBack(source);
    }
  }
  return out;
}

// FETCH DIGEST.SHA1: the server hashes its own copies, nothing crosses the wire but the digests.
async function digests(raw: FetchConnection, uids: string): Promise<Map<number, string>> {
  const answer = await raw.collect(`UID FETCH ${uids} (UID DIGEST.SHA1)`);
  if (answer.status !== 'OK') throw Object.assign(new Error(`UID FETCH DIGEST.SHA1: ${answer.text}`), { responseStatus: answer.status, responseText: answer.text });
  const out = new Map<number, string>();
  for (const r of answer.responses) {
    const uid = /[( ]UID (\d+)/i.exec(r.text);
    const digest = /[( ]DIGEST\.SHA1 "?([0-9a-f]{40})"?/i.exec(r.text);
    if (uid && digest) out.set(Number(uid[1]), digest[1]!.toLowerCase());
  }
  return out;
}

// The target's copies streamed back and hashed one by one as each is parsed, none kept.
async function rereadHashes(raw: FetchConnection, uids: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  await raw.eachBody(uids, (m) => {
    out.set(m.uid, sha1Hex(m.content));
    releaseLiteral(m.content);
  });
  return out;
}

// Both copies of one differing message, read once more to say how they differ.
async function explain(setup: FolderCheckSetup, raw: FetchConnection, r: ContentRow): Promise<string> {
  const target = await firstBody(raw, String(r.targetUid));
  const source = await setup.fetchers.borrow();
  try {
    await source.examine(r.sourcePath);
    const original = await firstBody(source, uidSet([r.uid]));
    if (!original || !target) return 'content differs';
    return describeDifference(original, target);
  } finally {
    setup.fetchers.giveBack(source);
  }
}

async function firstBody(conn: FetchConnection, uids: string): Promise<Buffer | null> {
  let body: Buffer | null = null;
  for await (const m of conn.bodies(uids, undefined, true)) body ??= m.content;
  return body;
}
