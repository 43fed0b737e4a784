import type { FetchedMeta } from '../imap/fetch-parse.ts';
import type { FetchConnection } from './fetch-connection.ts';
import { fetchMetaRaw, metasFrom, type MessageMeta } from './message-meta.ts';

// The folder scan in UID windows: a folder of any size is read a window at a time, so the copy
// never holds a list of all its messages (RFC 3501 §6.4.8: a UID range names no message it lacks).

/** The UID range of the window that starts at `from`: `from:to` up to `top` (the last UID, from UIDNEXT), or `from:*` when UIDNEXT is unknown. */
export function windowRange(from: number, size: number, top: number): string {
  return Number.isFinite(top) ? `${from}:${Math.min(from + size - 1, top)}` : `${from}:*`;
}

/**
 * The UID ranges that cover a whole folder whose last UID is `top` (from UIDNEXT; Infinity when
 * unknown), `size` UIDs each; the last is open-ended (`from:*`), so a message that arrived after the
 * folder was opened is read as a whole-folder read would. Keep only UIDs ≥ `from` of an answer.
 */
export function* coveringWindows(top: number, size: number): Generator<{ readonly from: number; readonly range: string }> {
  for (let from = 1; ; from += size) {
    if (!Number.isFinite(top) || from + size - 1 >= top) return yield { from, range: `${from}:*` };
    yield { from, range: windowRange(from, size, top) };
  }
}

/** A window's metadata already asked for (pipelined behind EXAMINE), starting at `from`. */
export interface FirstWindow {
  readonly from: number;
  readonly answer: Promise<FetchedMeta[]>;
}

/**
 * Reads the metadata of the source folder's messages above `known`, one UID window at a time,
 * and hands each window to `take` (which stores it) before reading the next. `first`, when it
 * starts right above `known`, is used as the first window. With `top` unknown (no UIDNEXT) the
 * rest after the first window is one `from:*` read.
 */
export async function scanWindows(
  conn: FetchConnection,
  scan: { readonly known: number; readonly top: number; readonly size: number; readonly keys: boolean; readonly first: FirstWindow | null },
  take: (metas: readonly MessageMeta[]) => void,
): Promise<void> {
  let from = scan.known + 1;
  if (scan.first?.from === from) {
    take(await metasFrom((await scan.first.answer).filter((m) => m.uid > scan.known), scan.keys, conn));
    from += scan.size;
  }
  for (; from <= scan.top; from += scan.size) {
    take(await fetchMetaRaw(conn, windowRange(from, scan.size, scan.top), from - 1, scan.keys));
    if (!Number.isFinite(scan.top)) return;
  }
}
