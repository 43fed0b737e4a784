import type { StateStore } from './state-store.ts';

/** A folder's STATUS counters (imapflow's listing or a raw STATUS answer). */
export interface FolderStatus {
  readonly messages?: number | undefined;
  readonly uidNext?: number | undefined;
  readonly uidValidity?: bigint | number | undefined;
  /** RFC 7162, asked only of a source that offers CONDSTORE. */
  readonly highestModseq?: bigint | undefined;
}

/**
 * True when STATUS shows nothing new since a complete pass of the folder (RFC 3501: same
 * UIDVALIDITY, UIDNEXT and count; with a CONDSTORE mark, also the same HIGHESTMODSEQ, so a flag
 * change is seen). `open`: the folder's pending and uncertain rows, when the caller already counted them.
 */
export function unchangedSince(store: StateStore, sourcePath: string, status: FolderStatus | undefined, open?: number): boolean {
  const prev = store.folder(sourcePath);
  return (
    prev !== undefined &&
    status?.uidValidity !== undefined &&
    prev.uidValidity === Number(status.uidValidity) &&
    prev.uidNext === status.uidNext &&
    prev.messages === status.messages &&
    prev.status === 'done' &&
    (open ?? store.openCount(sourcePath)) === 0 &&
    sameModseq(store, sourcePath, status)
  );
}

// No mark: flags are not followed (the UID scan). A mark and no HIGHESTMODSEQ in STATUS: changed.
function sameModseq(store: StateStore, sourcePath: string, status: FolderStatus): boolean {
  const mark = store.modseq.get(sourcePath);
  return mark === null || (status.highestModseq !== undefined && mark.highestModseq === BigInt(status.highestModseq));
}
