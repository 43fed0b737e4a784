import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckRequest, DomainReport } from '../../shared/domain/dns.ts';
import type { Standard, StandardEvaluation } from '../../shared/domain/standards.ts';
import type { Acceptance } from '../db/standards-repo.ts';
import type { CheckOptions } from '../dns/context.ts';
import type { RunSettings } from '../dns/run.ts';
import { cachedWorker } from '../platform/cached-worker.ts';
import type { EvaluationTarget } from './evaluate.ts';

/** An evaluation as plain data, as a worker thread is given it (the run's hooks stay in the calling thread). */
export interface ThreadJob {
  readonly standard: Standard;
  readonly targets: readonly EvaluationTarget[];
  readonly at: string;
  readonly request: Omit<CheckRequest, 'domains'>;
  readonly run: Omit<RunSettings, 'signal' | 'onProgress' | 'onQuery' | 'client' | 'options'> & { readonly options?: Omit<Partial<CheckOptions>, 'dkimKeySource'> };
  readonly heldSince: readonly (readonly [string, string])[];
  readonly acceptances: readonly Acceptance[];
  /** Store the evaluation (and its held deviations) once the calling thread says `commit`. */
  readonly record: boolean;
  /** Whether the calling thread wants each domain's report, and answers the DKIM signing-key questions. */
  readonly progress: boolean;
  readonly dkimKeys: boolean;
}

/** Messages from the thread. */
export type EvaluateThreadMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number; readonly report: DomainReport }
  | { readonly type: 'dkimKey'; readonly id: number; readonly domain: string; readonly selector: string }
  | { readonly type: 'evaluated'; readonly evaluation: StandardEvaluation }
  | { readonly type: 'recorded' }
  | { readonly type: 'failed'; readonly message: string };

/** Messages to the thread: the job, answers to its DKIM key questions, then `commit` to store what it evaluated. */
export type EvaluateThreadCommand = { readonly type: 'run'; readonly file: string; readonly job: ThreadJob } | { readonly type: 'dkimKey'; readonly id: number; readonly pem: string | null } | { readonly type: 'commit' };

/** Runs one evaluation in a worker thread on a database file; resolves null when the signal aborts before anything is stored. */
export type EvaluationThread = (job: Omit<ThreadJob, 'run' | 'progress' | 'dkimKeys'>, run: RunSettings, signal: AbortSignal) => Promise<StandardEvaluation | null>;

const ENTRY = new URL(`./evaluate-thread-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * An evaluation off the main event loop (the console's, whose IPC must keep answering): a worker thread with its own
 * SQLite connection evaluates and, when asked, stores; progress and the DKIM signing-key reads (the vault lives here)
 * cross by message. Aborting before the `commit` ends the thread at once and nothing is stored.
 */
export function evaluationThread(file: string): EvaluationThread {
  return (job, run, signal) => {
    if (signal.aborted) return Promise.resolve(null);
    const { signal: _signal, onProgress, onQuery: _onQuery, client: _client, options = {}, ...plain } = run;
    const { dkimKeySource, ...checkOptions } = options;
    const worker = cachedWorker(ENTRY);
    const post = (m: EvaluateThreadCommand): void => worker.postMessage(m);
    return new Promise<StandardEvaluation | null>((resolve, reject) => {
      let committed = false;
      let evaluation: StandardEvaluation | null = null;
      const settle = (outcome: StandardEvaluation | null | Error): void => {
        signal.removeEventListener('abort', onAbort);
        worker.removeAllListeners();
        worker.on('error', () => undefined);
        void worker.terminate();
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      // Once the commit is sent the store goes through; until then a cancel drops the thread and its lookups.
      const onAbort = (): void => {
        if (!committed) settle(null);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (m: EvaluateThreadMessage) => {
        if (m.type === 'progress') onProgress?.(m.done, m.total, m.report);
        else if (m.type === 'dkimKey') {
          const answer = dkimKeySource ? dkimKeySource(m.domain, m.selector).catch(() => null) : Promise.resolve(null);
          void answer.then((pem) => post({ type: 'dkimKey', id: m.id, pem }));
        } else if (m.type === 'evaluated') {
          evaluation = m.evaluation;
          if (!job.record) settle(evaluation);
          else if (signal.aborted) settle(null);
          else {
            committed = true;
            post({ type: 'commit' });
          }
        } else if (m.type === 'recorded') settle(evaluation);
        else settle(new Error(m.message));
      });
      worker.on('error', (error) => settle(error));
      worker.on('exit', (code) => settle(new Error(`the evaluation thread exited (code ${code}) before its evaluation`)));
      post({ type: 'run', file, job: { ...job, run: { ...plain, options: checkOptions }, progress: onProgress !== undefined, dkimKeys: dkimKeySource !== undefined } });
    });
  };
}
