import type { ImapFlow } from 'imapflow';
import type { BodyBudget } from './body-budget.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { MemoryBudget } from './memory-budget.ts';
import type { StateStore } from './state-store.ts';
import type { TargetPool } from './target-pool.ts';

/** Shared by every folder of a run. */
export interface CopyContext {
  readonly store: StateStore;
  readonly pool: TargetPool;
  /** imapflow client on the target for SELECT and reconciliation reads (re-opened when dropped). */
  readonly target: () => Promise<ImapFlow>;
  /** Target folders holding messages this job does not account for (from the start; a pass may add one). */
  readonly targetUnknown: Set<string>;
  /** PERMANENTFLAGS of each target folder, read for the whole tree at the start; absent: ask the target. */
  readonly permanentFlags: ReadonlyMap<string, ReadonlySet<string> | undefined>;
  readonly dryRun: boolean;
  readonly appendLimit: number | null;
  readonly counters: { copied: number; skipped: number; failed: number; bytes: number; total: number };
  readonly warnings: string[];
  readonly signal: AbortSignal | undefined;
  readonly gmail: boolean;
  /** Message bodies read and not yet answered by the target or dropped, all folders together, against the in-flight bound. */
  readonly bodies: BodyBudget;
  /** Byte limits from the run's memory bound. */
  readonly budget: MemoryBudget;
  /** Folders skipped because STATUS showed nothing new since a complete pass. */
  readonly unchanged: Set<string>;
  /** A raw source connection (metadata and body stream) for one pass; give it back when done. */
  borrowFetcher(): Promise<FetchConnection>;
  returnFetcher(f: FetchConnection): void;
  report(folder: string): void;
  /** Resolves once the store's writes so far are durable (the write-ahead point before an APPEND leaves). */
  durable(): Promise<void>;
}
