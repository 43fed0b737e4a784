import type { StateStore } from '../migration/state-store.ts';
import { openPgJobState } from './pg-job-state.ts';

/** One job's write-ahead state: the engine's synchronous store, and the step that makes its writes durable where a fleet shares them. */
export interface JobState {
  readonly store: StateStore;
  /** Resolves once every write the store made so far is durable. */
  durable(): Promise<void>;
  /** Makes the last writes durable and releases the job. */
  close(): Promise<void>;
}

/** Opens a job's state by URL: postgres://… (shared by a fleet). The sqlite:/path side is the fleet-queue branch's. */
export async function openJobState(url: string, jobId: string): Promise<JobState> {
  if (/^postgres(ql)?:\/\//i.test(url)) return openPgJobState(url, jobId);
  throw new Error(`unsupported job state URL (postgres://… on this branch): ${url.replace(/\/\/[^@/]*@/, '//…@')}`);
}
