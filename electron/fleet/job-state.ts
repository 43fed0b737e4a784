import type { StateStore } from '../migration/state-store.ts';

// Placeholder for the fleet-queue branch's job-state.ts (the contract of issue 16), kept only so
// pg-job-state.ts compiles here: at merge, theirs replaces it and openJobState sends postgres:// URLs to openPgJobState.

/** One job's write-ahead state: the engine's synchronous store, and the step that makes its writes durable where a fleet shares them. */
export interface JobState {
  readonly store: StateStore;
  /** Resolves once every write the store made so far is durable. */
  durable(): Promise<void>;
  /** Makes the last writes durable and releases the job. */
  close(): Promise<void>;
}
