import type { ImapFlow } from 'imapflow';
import type { CopyContext } from './copy-context.ts';
import type { FetchConnection } from './fetch-connection.ts';
import { KeyClaims, type WantedKey } from './key-claims.ts';
import { isProvisionalKey } from './message-key.ts';
import { fetchMeta, fetchMetaRaw, lockCurrentView, uidSet, type MessageMeta } from './message-meta.ts';
import { coveringWindows } from './folder-scan.ts';
import type { MessageRef, MessageState } from './state-store.ts';
import { TargetUids } from './target-uids.ts';

// Reconciliation a UID window at a time: the target folder's keys are read a window at a time into
// a temporary table (key-claims.ts) and the folder's rows are claimed against it a window at a time,
// so resuming a folder of a million messages holds no list of its rows or of the target's messages.

/** The folder being reconciled: its rows in the store and the connection its pass reads the source on. */
export interface ReconcileFolder {
  readonly sourcePath: string;
  readonly uidValidity: number;
  readonly targetPath: string;
  readonly source: () => FetchConnection;
}

/**
 * Settles uncertain ('appending') and not-yet-copied ('pending') rows against the target's
 * content: a target message whose key no landed row claims is this row's copy. Copies the job
 * already accounts for claim first (exact, then tolerant), so an uncertain row is never matched
 * with a message that belongs to another row; then uncertain rows (found: done, else pending
 * again), then pending ones (found: skipped). Returns how many uncertain rows had landed.
 */
export async function reconcileFolder(ctx: CopyContext, f: ReconcileFolder): Promise<number> {
  const { store } = ctx;
  const window = ctx.budget.uidWindow;
  await learnProvisionalKeys(ctx, f, window);
  const claims = new KeyClaims(store.database);
  const targetUids = new TargetUids(store.database);
  try {
    const targetUidValidity = await readTargetKeys(await ctx.target(), f.targetPath, window, (messages) => {
      claims.add(messages.map((m) => m.key));
      targetUids.add(messages);
    });
    if (targetUidValidity !== null) targetUids.dropNamed(store.jobId, f.targetPath, targetUidValidity);
    for (let after: MessageRef | null = null; ; ) {
      const page = store.landedInTarget(f.targetPath, after, window);
      if (page.length === 0) break;
      after = page.at(-1)!;
      claims.want(page.map((r) => ({ key: r.key, uid: 0 })));
    }
    claims.claimQueued(window);
    const ref = (hits: readonly WantedKey[]): MessageRef[] => hits.map((h) => ({ sourcePath: f.sourcePath, uidValidity: f.uidValidity, uid: h.uid }));
    let landed = 0;
    queueRows(ctx, f, 'appending', claims);
    claims.claimQueued(window, (hits) => {
      // The target UID of the message each copy was matched with (exactly, or loosely where the target
      // changed its size or date), so the content check compares it rather than leaving it unchecked.
      const uids = targetUidValidity === null ? null : hits.map((h) => targetUids.take(h.matched));
      store.settle(ref(hits), 'done', uids?.some((u) => u !== null) ? targetUidValidity : null, uids);
      landed += hits.length;
    });
    // Uncertain rows found nowhere stay 'appending' until the pending rows are claimed, which they are not among.
    queueRows(ctx, f, 'pending', claims);
    claims.claimQueued(window, (hits) => store.settle(ref(hits), 'skipped', null, null));
    store.releaseUncertain(f.sourcePath, f.uidValidity);
    return landed;
  } finally {
    claims.close();
    targetUids.close();
  }
}

// Pending rows with a placeholder key (the light pass) get their real key from the source, a window at a time.
async function learnProvisionalKeys(ctx: CopyContext, f: ReconcileFolder, window: number): Promise<void> {
  for (let after = 0; ; ) {
    const rows = ctx.store.pendingAfter(f.sourcePath, f.uidValidity, after, window);
    if (rows.length === 0) return;
    after = rows.at(-1)!.uid;
    const provisional = rows.filter((r) => isProvisionalKey(r.key));
    if (provisional.length === 0) continue;
    const keys = new Map((await fetchMetaRaw(f.source(), uidSet(provisional.map((r) => r.uid)), 0, true)).map((m) => [m.uid, m.key]));
    ctx.store.setKeys(provisional.filter((r) => keys.has(r.uid)).map((r) => ({ ...r, key: keys.get(r.uid)! })));
  }
}

// Queues the folder's rows in one state, by UID, a window at a time.
function queueRows(ctx: CopyContext, f: ReconcileFolder, state: MessageState, claims: KeyClaims): void {
  for (let after = 0; ; ) {
    const rows = ctx.store.inStateAfter(f.sourcePath, f.uidValidity, state, after, ctx.budget.uidWindow);
    if (rows.length === 0) return;
    after = rows.at(-1)!.uid;
    claims.want(rows.map((r) => ({ key: r.key, uid: r.uid })));
  }
}

/**
 * Reads the identity keys of every message in a target folder as it is now (opened read-only under
 * a mailbox lock), one UID window at a time, in UID order; returns the folder's UIDVALIDITY (null if unknown).
 */
export async function readTargetKeys(client: ImapFlow, path: string, window: number, take: (messages: MessageMeta[]) => void): Promise<number | null> {
  const lock = await lockCurrentView(client, path);
  try {
    const box = client.mailbox;
    if (!box) return null;
    const uidValidity = box.uidValidity ? Number(box.uidValidity) : null;
    if (box.exists === 0) return uidValidity;
    for (const { from, range } of coveringWindows(box.uidNext > 0 ? box.uidNext - 1 : Infinity, window)) {
      take(await fetchMeta(client, range, from - 1));
    }
    return uidValidity;
  } finally {
    lock.release();
  }
}
