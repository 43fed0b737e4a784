import type { FetchedMeta, MailboxState } from '../imap/fetch-parse.ts';
import type { CopyContext } from './copy-context.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { FolderMapping } from './folder-map.ts';
import { fetchMetaRaw, metasFrom, type MessageMeta } from './message-meta.ts';
import type { ListedFolder } from './raw-listing.ts';

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

/** The folder a scan reads, and where its messages go. */
export interface ScannedFolder {
  readonly mapping: FolderMapping;
  readonly listed: ListedFolder;
  readonly targetPath: string;
}

/**
 * Opens the folder on `fetcher` and stores a pending row for every message above what the store holds,
 * a UID window at a time; returns EXAMINE's answer and whether the target must be matched by key first.
 * An async function of its own so its frame ends with the scan: V8 keeps a suspended async function's
 * dead locals, and the first window's metadata (up to a whole UID window) stayed reachable through the copy.
 */
export async function scanNew(ctx: CopyContext, fetcher: FetchConnection, folder: ScannedFolder): Promise<{ box: MailboxState; unknownOnTarget: boolean }> {
  const { store } = ctx;
  const path = folder.mapping.sourcePath;
  // Nothing on the target that this job did not put there: new messages need no identity key
  // before their body arrives, so the metadata pass skips the header fetch (the key is computed
  // from the body, before the write-ahead step). Otherwise keys come first, for reconciliation.
  let unknownOnTarget = ctx.targetUnknown.has(folder.targetPath);
  let light = !unknownOnTarget && !ctx.gmail;
  // EXAMINE and the metadata FETCH go out together, the FETCH ranged from what the store holds
  // under the listed UIDVALIDITY; if EXAMINE tells another story the FETCH is redone.
  const listed = folder.listed.status;
  const guess = store.maxUid(path, Number(listed?.uidValidity ?? 0));
  // `open`: the quiet check's QRESYNC EXAMINE may have left the folder open on this connection (a NOOP
  // then, not a second open). A server may run a FETCH beside a NOOP (Dovecot does), and the FETCH's
  // answers could then reach the NOOP's collector: only behind an EXAMINE does the FETCH go out at once.
  const reused = fetcher.hasOpen(path);
  const examined = fetcher.open(path);
  const window = ctx.budget.uidWindow;
  // The first UID window only: the rest of the folder is read a window at a time.
  const speculative = !reused && (listed?.messages ?? 1) > 0 && (listed?.uidNext ?? Infinity) - 1 > guess ? fetcher.meta(`${guess + 1}:${guess + window}`, !light) : null;
  speculative?.catch(() => undefined);
  const box = await examined;
  if (!box.uidValidity) {
    // RFC 3501 requires it; without it the rows of this folder cannot be told apart from stale
    // ones (a drop would follow). Start the pass over on another connection instead.
    fetcher.destroy();
    ctx.warnings.push(`${path}: the source answered EXAMINE without UIDVALIDITY; retried on a new connection`);
    throw Object.assign(new Error(`${path}: no UIDVALIDITY in the EXAMINE answer`), { code: 'ECONNRESET' });
  }
  const uidValidity = box.uidValidity;
  const dropped = store.dropStaleUidValidity(path, uidValidity);
  const speculatedLight = light;
  if (dropped > 0) {
    ctx.warnings.push(`${path}: UIDVALIDITY changed; ${dropped} old state rows re-checked by content`);
    // Their copies on the target are now unaccounted for: every message is matched by key first,
    // in this pass, in any retry of it (the rows are gone by then) and in folders sharing the target.
    ctx.targetUnknown.add(folder.targetPath);
    unknownOnTarget = true;
    light = false;
  }
  const known = store.maxUid(path, uidValidity);
  // A server that leaves UIDNEXT out of EXAMINE (RFC 3501 requires it) gets the rest asked as N:*.
  const top = box.uidNext > 0 ? box.uidNext - 1 : Infinity;
  if (box.exists > 0 && top > known) {
    const reuse = speculative && known === guess && light === speculatedLight;
    // Not reused: wait for it anyway. A server may run two pipelined FETCHes in parallel (Dovecot
    // does), and their untagged answers cannot be told apart.
    if (!reuse) await speculative?.catch(() => undefined);
    const first = reuse ? { from: guess + 1, answer: speculative } : null;
    await scanWindows(fetcher, { known, top, size: window, keys: !light, first }, (metas) =>
      store.insertPending(
        metas.map((m) => ({
          sourcePath: path,
          uidValidity,
          uid: m.uid,
          key: m.key,
          size: m.size,
          internalDate: m.internalDate?.getTime() ?? null,
          targetPath: folder.targetPath,
        })),
      ),
    );
  } else await speculative?.catch(() => undefined);
  return { box, unknownOnTarget };
}
