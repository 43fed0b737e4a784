import type { RawResponse } from '../imap/response-reader.ts';
import type { FetchConnection } from './fetch-connection.ts';
import { runUidWindow } from './memory-budget.ts';
import type { ModseqMark } from './modseq-state.ts';
import { parseChanges, type FolderChanges, type SourceLender, type UidRange } from './qresync-reader.ts';

/** What a delta pass asks of the source: a folder's changes since its mark (QresyncReader or CondstoreReader). */
export interface ChangeReader {
  changesSince(path: string, mark: ModseqMark, upTo: bigint | undefined): Promise<FolderChanges>;
  close(): Promise<void>;
}

/**
 * Reads source folders' changes since their marks where the source offers CONDSTORE but not
 * QRESYNC (Gmail, for one): `EXAMINE … (CONDSTORE)` and `UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE
 * mark)` pipelined (RFC 7162 §3.1.4.1), so flag changes cost O(changes) as with QRESYNC. CONDSTORE
 * does not report expunges; when they are to be applied (`findVanished`) and the folder's count
 * shows fewer messages up to the last copied UID than the job recorded there, those UIDs are asked
 * by `UID SEARCH` a window at a time and what is absent counts as vanished.
 */
export class CondstoreReader implements ChangeReader {
  private readonly lender: SourceLender;
  private readonly findVanished: (path: string, uidValidity: number) => VanishedScope | null;
  private queue: Promise<unknown> = Promise.resolve();

  /** `findVanished(path, uidValidity)`: where to look for expunges, when they are wanted; null when they are not. */
  constructor(lender: SourceLender, findVanished: (path: string, uidValidity: number) => VanishedScope | null) {
    this.lender = lender;
    this.findVanished = findVanished;
  }

  /** The changes of `path` since `mark`, read after any other folder's. */
  changesSince(path: string, mark: ModseqMark): Promise<FolderChanges> {
    const next = this.queue.then(() => this.read(path, mark));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Nothing of its own to close: it borrows the run's connections. */
  async close(): Promise<void> {}

  private async read(path: string, mark: ModseqMark): Promise<FolderChanges> {
    const conn = await this.lender.borrow();
    try {
      return await this.readOn(conn, path, mark);
    } finally {
      this.lender.giveBack(conn);
    }
  }

  /** The changes of `path` since `mark`, read on a connection the caller holds (QresyncReader's, where ENABLE QRESYNC was refused). */
  async readOn(conn: FetchConnection, path: string, mark: ModseqMark): Promise<FolderChanges> {
    const opening = conn.examineCondstore(path);
    const fetching = conn.collect(`UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE ${mark.highestModseq})`);
    fetching.catch(() => undefined);
    const opened = await opening;
    if (opened.status !== 'OK') throw Object.assign(new Error(`EXAMINE ${path}: ${opened.text}`), { responseStatus: opened.status, responseText: opened.text });
    const fetched = await fetching;
    const changes = parseChanges([...opened.responses, ...fetched.responses]);
    if (changes.uidValidity !== mark.uidValidity || !changes.modseqKept) return changes;
    if (fetched.status !== 'OK') throw Object.assign(new Error(`UID FETCH (CHANGEDSINCE) ${path}: ${fetched.text}`), { responseStatus: fetched.status, responseText: fetched.text });
    const scope = this.findVanished(path, mark.uidValidity);
    if (!scope || scope.upTo < 1 || changes.status.messages === undefined) return changes;
    // Nothing vanished when the messages up to the last copy are as many as the job recorded there.
    const present = changes.status.messages - (await uidsAbove(conn, scope.upTo));
    return present === scope.recorded ? changes : { ...changes, vanished: await absentUids(conn, scope.upTo) };
  }
}

/** Where a folder's expunges are looked for: its UIDs up to `upTo`, of which the job recorded `recorded`. */
export interface VanishedScope {
  readonly upTo: number;
  readonly recorded: number;
}

// How many messages of the open folder have a UID above `upTo` (`n:*` names the last message even
// when every UID is lower, so the answer is filtered).
async function uidsAbove(conn: FetchConnection, upTo: number): Promise<number> {
  const a = await searchUids(conn, `${upTo + 1}:*`);
  return a.filter((r) => /^\* SEARCH\b/i.test(r.text)).flatMap((r) => searchedUids(r.text)).filter((u) => u > upTo).length;
}

// UIDs 1..upTo that the open folder no longer has, as ranges: one `UID SEARCH UID a:b` per window,
// each answered before the next is sent (a server may run pipelined commands side by side, and an
// untagged SEARCH line does not say which command it answers), each answer reduced to its gaps at
// once: the folder's UIDs are never held whole.
async function absentUids(conn: FetchConnection, upTo: number): Promise<UidRange[]> {
  const step = runUidWindow();
  const out: UidRange[] = [];
  for (let lo = 1; lo <= upTo; lo += step) {
    const hi = Math.min(upTo, lo + step - 1);
    out.push(...gaps(lo, hi, await searchUids(conn, `${lo}:${hi}`)));
  }
  return out;
}

async function searchUids(conn: FetchConnection, set: string): Promise<RawResponse[]> {
  const a = await conn.collect(`UID SEARCH UID ${set}`);
  if (a.status !== 'OK') throw Object.assign(new Error(`UID SEARCH: ${a.text}`), { responseStatus: a.status, responseText: a.text });
  return a.responses;
}

// The UIDs of one `* SEARCH` line (a trailing `(MODSEQ n)` left out).
function searchedUids(text: string): number[] {
  return (text.slice(8).split('(')[0]!.match(/\d+/g) ?? []).map(Number);
}

/** The ranges of [lo, hi] that no `* SEARCH` line of `responses` names. */
export function gaps(lo: number, hi: number, responses: readonly RawResponse[]): UidRange[] {
  const present = responses
    .filter((r) => /^\* SEARCH\b/i.test(r.text))
    .flatMap((r) => searchedUids(r.text))
    .filter((u) => u >= lo && u <= hi)
    .sort((a, b) => a - b);
  const out: UidRange[] = [];
  let next = lo;
  for (const u of present) {
    if (u > next) out.push([next, u - 1]);
    next = Math.max(next, u + 1);
  }
  if (next <= hi) out.push([next, hi]);
  return out;
}
