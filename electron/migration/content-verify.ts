import type { FetchConnection } from './fetch-connection.ts';
import type { FetcherPool } from './fetcher-pool.ts';
import { ContentLedger, type ContentRow } from './content-state.ts';
import { describeDifference, sha1Hex } from './content-diff.ts';
import { runUidWindow } from './memory-budget.ts';
import { uidChunks, uidSet } from './message-meta.ts';
import type { StateStore } from './state-store.ts';

/** The stable code of a copy whose bytes are not the source's. */
export const CONTENT_DIFFERS = 'migration.contentDiffers';

// Copies compared per FETCH: a bounded answer for digests, a bounded stream for re-reads (the
// copy's UID window when that is smaller: tests set a small one to cross windows).
const CHUNK = 1000;

/** What a content check needs from the run: the target's raw connection and source connections to borrow. */
export interface ContentCheckSetup {
  readonly store: StateStore;
  readonly targetPaths: readonly string[];
  readonly fetchers: Pick<FetcherPool, 'targetRaw' | 'borrow' | 'giveBack'>;
  /** Compare every copy again, not only those not checked yet (verification run alone). */
  readonly recheck?: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: (checked: number, total: number) => void;
  /** The run's counters (differing copies add to its failures) and warnings (the check's notes). */
  readonly counters?: { failed: number };
  readonly warnings?: string[];
}

/** The outcome: how many copies matched, differed, or could not be compared (and why). */
export interface ContentCheckResult {
  readonly checked: number;
  readonly differed: number;
  readonly unchecked: number;
  /** 'digest' when the target computed the hashes (FETCH DIGEST.SHA1), 'reread' when its copies were streamed back. */
  readonly method: 'digest' | 'reread' | null;
  readonly notes: readonly string[];
}

/**
 * Verification by content: every copy this job landed is hashed on the target (a server digest
 * where offered, else a streamed re-read) and compared with the SHA-1 of the bytes read from the
 * source for its APPEND. A difference turns the row into a failed message with the reason in
 * words, so the job is never complete with an altered copy.
 */
export async function verifyContent(setup: ContentCheckSetup): Promise<ContentCheckResult> {
  const ledger = new ContentLedger(setup.store);
  if (setup.recheck) ledger.resetChecks();
  const notes: string[] = [];
  // Counted in SQLite; the rows themselves are read one target UID window at a time, so no folder is ever held whole.
  const toCheck = new Map(setup.targetPaths.map((p) => [p, ledger.countToCheck(p)]));
  const total = [...toCheck.values()].reduce((n, c) => n + c, 0);
  const tally = { checked: 0, differed: 0, unchecked: setup.targetPaths.reduce((n, p) => n + ledger.unlocated(p), 0), method: null as ContentCheckResult['method'] };
  if (tally.unchecked > 0) notes.push(`${tally.unchecked} copied message(s) have no target UID (the target gave no APPENDUID) and were not compared by content`);
  setup.onProgress?.(0, total);
  for (const [targetPath, count] of toCheck) {
    if (count === 0 || setup.signal?.aborted) continue;
    const raw = await setup.fetchers.targetRaw();
    if (!raw) {
      tally.unchecked += count;
      notes.push(`${targetPath}: no connection to the target for the content check`);
      continue;
    }
    tally.method = raw.capabilities.has('DIGEST=SHA1') ? 'digest' : 'reread';
    await checkFolder(setup, ledger, raw, targetPath, tally, notes, total);
  }
  if (tally.differed > 0) notes.push(`${tally.differed} copied message(s) differ from the source by content (see failures)`);
  if (setup.counters) setup.counters.failed += tally.differed;
  setup.warnings?.push(...notes);
  return { ...tally, notes };
}

// One target folder's unchecked copies, a window of CHUNK target UIDs at a time.
async function checkFolder(setup: ContentCheckSetup, ledger: ContentLedger, raw: FetchConnection, targetPath: string, tally: { checked: number; differed: number; unchecked: number; method: ContentCheckResult['method'] }, notes: string[], total: number): Promise<void> {
  const box = await raw.open(targetPath);
  let incomparable = 0;
  let gone = 0;
  for (let after = 0; !setup.signal?.aborted; ) {
    const rows = ledger.toCheckAfter(targetPath, after, Math.min(CHUNK, runUidWindow()));
    if (rows.length === 0) break;
    after = rows.at(-1)!.targetUid;
    const inChunk = rows.filter((r) => r.targetUidValidity === null || r.targetUidValidity === box.uidValidity);
    incomparable += rows.length - inChunk.length;
    if (inChunk.length === 0) continue;
    const sourceHashes = await sourceHashesOf(setup, ledger, inChunk);
    const uids = uidSet(inChunk.map((r) => r.targetUid));
    const targetHashes = tally.method === 'digest' ? await digests(raw, uids) : await rereadHashes(raw, uids);
    const same = new Set(inChunk.filter((r) => targetHashes.get(r.targetUid) === sourceHashes.get(r.uid + '@' + r.sourcePath)));
    const altered = inChunk.filter((r) => targetHashes.has(r.targetUid) && !same.has(r) && sourceHashes.has(r.uid + '@' + r.sourcePath));
    gone += inChunk.filter((r) => !targetHashes.has(r.targetUid)).length;
    ledger.markChecked([...same]);
    tally.checked += same.size;
    tally.unchecked += inChunk.length - same.size - altered.length;
    for (const r of altered) {
      const reason = await explain(setup, raw, r);
      setup.store.fail(r, CONTENT_DIFFERS, `${reason}; the source message is unchanged`);
      ledger.markChecked([r]);
      tally.differed++;
    }
    setup.onProgress?.(tally.checked + tally.differed, total);
  }
  tally.unchecked += incomparable;
  if (incomparable > 0) notes.push(`${targetPath}: ${incomparable} copied message(s) not compared: the target folder's UIDVALIDITY changed`);
  if (gone > 0) notes.push(`${targetPath}: ${gone} copied message(s) are no longer on the target`);
}

// The source hash of each row: kept from the copy, else read again from the source (older jobs).
async function sourceHashesOf(setup: ContentCheckSetup, ledger: ContentLedger, rows: readonly ContentRow[]): Promise<Map<string, string>> {
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
      ledger.saveSourceHashes(learnt);
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

// The target's copies streamed back and hashed one by one, none kept.
async function rereadHashes(raw: FetchConnection, uids: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for await (const m of raw.bodies(uids)) out.set(m.uid, sha1Hex(m.content));
  return out;
}

// Both copies of one differing message, read once more to say how they differ.
async function explain(setup: ContentCheckSetup, raw: FetchConnection, r: ContentRow): Promise<string> {
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
  for await (const m of conn.bodies(uids)) body ??= m.content;
  return body;
}
