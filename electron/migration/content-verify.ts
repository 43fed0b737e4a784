import type { FetchConnection } from './fetch-connection.ts';
import type { FetcherPool } from './fetcher-pool.ts';
import { ContentLedger, type ContentRow } from './content-state.ts';
import { checkTargetFolder, type FolderOutcome, type WindowPlan } from './content-folder.ts';
import { runUidWindow } from './memory-budget.ts';
import type { StateStore } from './state-store.ts';

export { CONTENT_DIFFERS } from './content-folder.ts';

// Target connections checking folders at once: while the copy goes on (it has the target's
// upload connections too), and at the end, when only the check is left (one of the 4 is then the run's
// raw connection). With the defaults the target side holds at most 1 raw + 1 imapflow + 4 uploads + 3
// of these = 9; the run's cap (connection-cap.ts) keeps every side within 10 (Dovecot's default
// mail_max_userip_connections) whatever the options, lending no lane when there is no room.
const LANES_WHILE_COPYING = 3;
const LANES_AT_END = 4;
// At the end, one more connection (a login: several round trips) per this many copies left to compare.
const COPIES_PER_LANE = 500;
// While a folder is still being copied, its settled copies are compared in windows of this many
// target UIDs (or the run's UID window, if smaller), each once at least half of it has landed; the folder's own check does the rest.
const EARLY_WINDOW = 300;

/** What a content check needs from the run: target connections of its own and source connections to borrow. */
export interface ContentCheckSetup {
  readonly store: StateStore;
  readonly fetchers: Pick<FetcherPool, 'borrowTarget' | 'giveBackTarget' | 'borrow' | 'giveBack' | 'targetRaw'>;
  /** Compare every copy again, not only those not checked yet (verification run alone). */
  readonly recheck?: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Copies compared so far of those known to compare (the total grows while the copy goes on). */
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
 * words, so the job is never complete with an altered copy. Several folders are checked at once.
 */
export function verifyContent(setup: ContentCheckSetup & { readonly targetPaths: readonly string[] }): Promise<ContentCheckResult> {
  return new ContentCheck(setup).finish(setup.targetPaths);
}

/**
 * A content check that can start while the copy goes on: `folder` checks a target folder whose
 * copies are all settled, on a connection of its own; `finish` checks the rest and reports. Each
 * target folder is checked once per run (its notes say what could not be compared, once).
 */
export class ContentCheck {
  private readonly setup: ContentCheckSetup;
  private readonly ledger: ContentLedger;
  private readonly outcomes = new Map<string, Promise<FolderOutcome | null>>();
  // Per target folder still being copied: the early pass running, how far early passes got, and what they settled.
  private readonly early = new Map<string, Promise<void>>();
  private readonly earlyAfter = new Map<string, number>();
  private readonly earlySettled = new Map<string, { checked: number; differed: number }>();
  private readonly waiting: (() => void)[] = [];
  // Per source folder and UIDVALIDITY: copies this run found at their target UID, and in which target UIDVALIDITY (NaN once two were seen).
  private readonly found = new Map<string, { targetUidValidity: number; count: number }>();
  private lanes = LANES_WHILE_COPYING;
  private overlapped = false;
  private finishing = false;
  // The run's raw target connection: a lane once the copy is over (while it goes on, flag changes of a delta use it).
  private sharedBusy = false;
  private shared: FetchConnection | null = null;
  private stopped = false;
  private busy = 0;
  private compared = 0;
  private known = 0;
  private digest: boolean | null = null;

  constructor(setup: ContentCheckSetup) {
    this.setup = setup;
    this.ledger = new ContentLedger(setup.store);
    if (setup.recheck) this.ledger.resetChecks();
    // A folder waiting for a lane stops waiting on pause or cancel.
    setup.signal?.addEventListener('abort', () => this.wake(), { once: true });
  }

  /** Starts checking a target folder no copy will land in any more this run; never rejects (`finish` reports). */
  folder(targetPath: string): void {
    if (this.outcomes.has(targetPath) || this.stopped) return;
    // A small folder waits for `finish`: a lane of its own during the copy is another login per mailbox
    // (fleet-kill's 120 mailboxes of 40 messages: 93 s -> 139 s), and `finish` checks a few on the run's own connection.
    if (!this.finishing && this.ledger.countToCheck(targetPath) < COPIES_PER_LANE) return;
    this.overlapped ||= !this.finishing;
    const outcome = this.check(targetPath);
    outcome.catch(() => undefined);
    this.outcomes.set(targetPath, outcome);
  }

  /**
   * Compares the copies of a target folder settled so far, a full window at a time, while its copy
   * goes on (called as uploads are answered). Only matches and differences are settled here; the
   * folder's own check (`folder`, after its early pass ends) compares the rest and says what could not be.
   */
  settled(targetPath: string): void {
    if (this.stopped || this.finishing || this.outcomes.has(targetPath) || this.early.has(targetPath)) return;
    const after = this.earlyAfter.get(targetPath) ?? 0;
    // Asked before a lane is taken, and counted rather than read: most calls (one per upload answer) find less than half a window.
    if (this.ledger.countAfter(targetPath, after, this.earlyWindow()) < this.earlyWindow() / 2) return;
    this.overlapped = true;
    const pass = this.earlyPass(targetPath, after).finally(() => this.early.delete(targetPath));
    pass.catch(() => undefined);
    this.early.set(targetPath, pass);
  }

  /** Checks every one of `targetPaths` not checked yet, up to LANES_AT_END at once, and reports the whole check. */
  async finish(targetPaths: readonly string[]): Promise<ContentCheckResult> {
    this.finishing = true;
    // Counted before they start: progress shows the whole total from the first sample.
    const left = targetPaths.reduce((n, p) => n + (this.outcomes.has(p) ? 0 : this.ledger.countToCheck(p)), 0);
    this.known += left;
    // A few copies left (a delta's new mail) are compared on the run's own connection; connections already open are used anyway.
    const wanted = Math.min(LANES_AT_END, Math.max(1, Math.ceil(left / COPIES_PER_LANE)));
    this.lanes = this.overlapped ? Math.max(LANES_WHILE_COPYING, wanted) : wanted;
    this.wake();
    this.setup.onProgress?.(this.compared, this.known);
    for (const p of targetPaths) this.folder(p);
    // Every folder's check ends before a failure is thrown: none is left using a connection.
    const results = await Promise.allSettled(targetPaths.map((p) => this.outcomes.get(p)!));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return this.report(targetPaths, results.map((r) => (r as PromiseFulfilledResult<FolderOutcome | null>).value));
  }

  /**
   * How many landed copies of a source folder (of this UIDVALIDITY) this run's check found at their target
   * UID, all in one target UIDVALIDITY: when that is every landed copy, the deep check need not look them up again.
   */
  foundOnTarget(sourcePath: string, uidValidity: number): { readonly targetUidValidity: number; readonly count: number } | null {
    const f = this.found.get(sourcePath + '\0' + uidValidity);
    return f && !Number.isNaN(f.targetUidValidity) ? f : null;
  }

  /** Starts no other folder and waits for those started (a run whose copy failed); what they found stays recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await Promise.allSettled([...this.outcomes.values(), ...this.early.values()]);
  }

  // The tallies and notes in the order of `targetPaths`, whatever order the folders finished in.
  private report(targetPaths: readonly string[], outcomes: readonly (FolderOutcome | null)[]): ContentCheckResult {
    const tally = { checked: 0, differed: 0, unchecked: targetPaths.reduce((n, p) => n + this.ledger.unlocated(p), 0) };
    const notes: string[] = [];
    if (tally.unchecked > 0) notes.push(`${tally.unchecked} copied message(s) have no target UID (the target gave no APPENDUID, or a stopped run found them on the target by key when it resumed) and were not compared by content`);
    for (const [i, o] of outcomes.entries()) {
      const early = this.earlySettled.get(targetPaths[i]!);
      tally.checked += early?.checked ?? 0;
      tally.differed += early?.differed ?? 0;
      if (!o) continue;
      tally.checked += o.checked;
      tally.differed += o.differed;
      tally.unchecked += o.unchecked;
      notes.push(...o.notes);
    }
    if (tally.differed > 0) notes.push(`${tally.differed} copied message(s) differ from the source by content (see failures)`);
    if (this.setup.counters) this.setup.counters.failed += tally.differed;
    this.setup.warnings?.push(...notes);
    const method = this.digest === null ? null : this.digest ? 'digest' : 'reread';
    return { ...tally, method, notes };
  }

  // One folder: counted, then checked on a lane (null when there was nothing to compare).
  private async check(targetPath: string): Promise<FolderOutcome | null> {
    // An early pass still comparing this folder's windows ends first: no copy is compared twice. (Its failure leaves the rest to this check.)
    await this.early.get(targetPath)?.catch(() => undefined);
    const count = this.ledger.countToCheck(targetPath);
    // A folder started during the copy adds to the total as it starts; those of `finish` were counted there.
    if (!this.finishing) this.known += count;
    if (count === 0 || this.setup.signal?.aborted) return null;
    let raw = await this.acquire();
    // No room for a connection of its own while the copy goes on (the target at its cap): the folder
    // waits for a lane that frees, or for the end, when the run's raw connection is a lane.
    while (!raw && !this.finishing && !this.stopped && !this.setup.signal?.aborted) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      raw = await this.acquire();
    }
    if (!raw) return { checked: 0, differed: 0, unchecked: count, notes: [`${targetPath}: no connection to the target for the content check`], after: 0 };
    try {
      return await this.compare(raw, targetPath);
    } finally {
      this.release(raw);
    }
  }

  private compare(raw: FetchConnection, targetPath: string, plan?: WindowPlan): Promise<FolderOutcome> {
    this.digest = raw.capabilities.has('DIGEST=SHA1');
    const early = plan ? this.earlySettled.get(targetPath) ?? { checked: 0, differed: 0 } : null;
    if (early) this.earlySettled.set(targetPath, early);
    const onSettled = (same: number, differed: number): void => {
      // An early window's copies were not in the total yet.
      if (early) {
        early.checked += same;
        early.differed += differed;
        this.known += same + differed;
      }
      this.compared += same + differed;
      this.setup.onProgress?.(this.compared, this.known);
    };
    const onFound = (rows: readonly ContentRow[], targetUidValidity: number): void => {
      for (const r of rows) {
        const key = r.sourcePath + '\0' + r.uidValidity;
        const f = this.found.get(key) ?? { targetUidValidity, count: 0 };
        if (f.targetUidValidity !== targetUidValidity || r.targetUidValidity !== targetUidValidity) f.targetUidValidity = NaN;
        f.count++;
        this.found.set(key, f);
      }
    };
    return checkTargetFolder({ store: this.setup.store, ledger: this.ledger, fetchers: this.setup.fetchers, signal: this.setup.signal, onSettled, onFound }, raw, targetPath, this.digest, plan);
  }

  // The full windows of a target folder still being copied, on a lane of their own.
  private async earlyPass(targetPath: string, after: number): Promise<void> {
    const raw = await this.acquire();
    if (!raw) return;
    try {
      const reached = await this.compare(raw, targetPath, { after, size: this.earlyWindow(), minRows: this.earlyWindow() / 2, leaveDifferences: true });
      this.earlyAfter.set(targetPath, reached.after);
    } finally {
      this.release(raw);
    }
  }

  private earlyWindow(): number {
    return Math.min(EARLY_WINDOW, runUidWindow());
  }

  // A target connection once a lane is free. A server that refuses one more connection leaves the
  // check with the lanes it has; null when it refuses the first, or the run is stopping.
  private async acquire(): Promise<FetchConnection | null> {
    for (;;) {
      if (this.setup.signal?.aborted || this.stopped) return null;
      if (this.busy < this.lanes) {
        this.busy++;
        if (this.finishing && !this.sharedBusy) {
          this.sharedBusy = true;
          // One that cannot be had stays marked busy: it is not asked for again.
          this.shared = await this.setup.fetchers.targetRaw();
          if (this.shared) return this.shared;
        }
        const conn = await this.setup.fetchers.borrowTarget();
        if (conn) return conn;
        this.busy--;
        if (this.busy === 0) return null;
        this.lanes = this.busy;
        continue;
      }
      // Woken when a lane frees, when `finish` adds lanes, and on stop or abort.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(raw: FetchConnection): void {
    this.busy--;
    if (raw === this.shared) this.sharedBusy = false;
    else this.setup.fetchers.giveBackTarget(raw);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }
}
