import type { ImapFlow } from 'imapflow';
import type { FetchConnection } from './fetch-connection.ts';
import { runUidWindow } from './memory-budget.ts';
import { uidChunks } from './message-meta.ts';
import type { StateStore } from './state-store.ts';
import { rawView, searchUids, type TargetView } from './verify-window.ts';

// The deep check opens each target folder and looks its landed rows up there: two round trips or more
// a folder, one folder after another (24 folders through a 10 ms proxy: about a second). Small folders
// (every landed row in one page) are opened and searched together instead, pipelined in one round trip,
// as many as one page of UIDs in all, so the memory bound of the windows holds.

/** A source folder whose copies the deep check matches on the target through the raw connection. */
export interface DeepFolder {
  readonly sourcePath: string;
  readonly uidValidity: number;
  readonly targetPath: string;
}

/**
 * Views of the next small folders of `folders` (keyed by source path), each opened and asked for its
 * rows' APPENDUIDs in one pipelined round trip, and how many of `folders` the batch went through.
 * Folders with more landed rows than a page, and any the target refused, get no view: the caller
 * checks those one at a time as before.
 */
export async function prefetchViews(raw: FetchConnection, client: () => Promise<ImapFlow>, store: StateStore, folders: readonly DeepFolder[]): Promise<{ views: Map<string, TargetView>; reached: number }> {
  const page = runUidWindow();
  const batch: { folder: DeepFolder; uids: number[] }[] = [];
  let total = 0;
  let reached = 0;
  for (const folder of folders) {
    // One page read; a folder that fills it may hold more and is checked page by page instead.
    const rows = store.landedPage(folder.sourcePath, folder.uidValidity, 0, page);
    const small = rows.length < page;
    const uids = small ? rows.flatMap((r) => (r.targetUid === null ? [] : [r.targetUid])) : [];
    if (small && batch.length > 0 && total + uids.length > page) break;
    reached++;
    if (!small) continue;
    batch.push({ folder, uids });
    total += uids.length;
  }
  // Sent in order without waiting: a server runs a command that changes the open folder only after the
  // ones before it, so each SEARCH answers for the folder the EXAMINE before it opened.
  // Settled at once, so that a refusal met while an earlier folder's answers are awaited is never unhandled.
  const sent = batch.map(({ folder, uids }) => ({
    folder,
    uids,
    opened: Promise.allSettled([raw.examine(folder.targetPath)]),
    searched: Promise.allSettled(uidChunks(uids).map((set) => searchUids(raw, `UID SEARCH UID ${set}`))),
  }));
  const views = new Map<string, TargetView>();
  for (const { folder, uids, opened, searched } of sent) {
    const [box] = await opened;
    const answers = await searched;
    if (box!.status !== 'fulfilled' || answers.some((a) => a.status !== 'fulfilled')) continue;
    const found = new Set(answers.flatMap((a) => (a.status === 'fulfilled' ? [...a.value] : [])));
    views.set(folder.sourcePath, prefetched(raw, client, folder.targetPath, box.value, new Set(uids), found));
  }
  return { views, reached };
}

// A view answering from the prefetched SEARCH; anything else opens the folder again (the connection has
// moved on to the batch's other folders) and asks the target as a one-folder view does. Once open, it
// stays in use while the connection has the folder open: reopening is a NOOP round trip per window.
function prefetched(raw: FetchConnection, client: () => Promise<ImapFlow>, path: string, box: { readonly uidValidity: number; readonly exists: number; readonly uidNext: number }, asked: ReadonlySet<number>, found: ReadonlySet<number>): TargetView {
  let opened: Promise<TargetView> | null = null;
  let ready = false;
  const live = (): Promise<TargetView> => {
    // While an open is under way, windows sent beside each other wait for it rather than each opening the folder.
    if (opened === null || (ready && !raw.hasOpen(path))) {
      ready = false;
      opened = rawView(raw, path, client).then(
        (view) => ((ready = true), view),
        (e: unknown) => ((opened = null), Promise.reject(e)),
      );
    }
    return opened;
  };
  return {
    uidValidity: box.uidValidity,
    exists: box.exists,
    present: async (uids) => (uids.every((u) => asked.has(u)) ? new Set(uids.filter((u) => found.has(u))) : (await live()).present(uids)),
    uidNext: box.uidNext,
    uidsIn: async (range) => (await live()).uidsIn(range),
    keys: async (uids) => (await live()).keys(uids),
  };
}

/** Hands out the deep check's views folder by folder, fetching the next batch when asked for a folder no batch has reached. */
export class PrefetchedViews {
  private readonly views = new Map<string, TargetView>();
  private readonly reached = new Set<string>();
  private readonly raw: FetchConnection;
  private readonly client: () => Promise<ImapFlow>;
  private readonly store: StateStore;
  private readonly folders: readonly DeepFolder[];

  constructor(raw: FetchConnection, client: () => Promise<ImapFlow>, store: StateStore, folders: readonly DeepFolder[]) {
    this.raw = raw;
    this.client = client;
    this.store = store;
    this.folders = folders;
  }

  /** The prefetched view of this source folder, or null when it is to be opened on its own (a big or refused folder). */
  async take(sourcePath: string): Promise<TargetView | null> {
    if (!this.reached.has(sourcePath)) {
      const next = this.folders.filter((f) => !this.reached.has(f.sourcePath));
      const batch = await prefetchViews(this.raw, this.client, this.store, next);
      for (const [path, view] of batch.views) this.views.set(path, view);
      // What a batch went through (small or not, answered or refused) is not asked for again.
      for (const f of next.slice(0, batch.reached)) this.reached.add(f.sourcePath);
      this.reached.add(sourcePath);
    }
    const view = this.views.get(sourcePath) ?? null;
    this.views.delete(sourcePath);
    return view;
  }
}
