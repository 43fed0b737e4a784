import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckRequest, DomainReport } from '../../shared/domain/dns.ts';
import type { StandardRule } from '../../shared/domain/standards.ts';
import type { RunSettings } from '../dns/run.ts';
import { cachedWorker } from '../platform/cached-worker.ts';
import type { RuleCheck } from './rule-check.ts';

/** The checks of some of an evaluation's domains and their DNS rules' verdicts (`checks[domain][rule]`), in the order given. */
export type DnsShard = (names: readonly string[], rules: readonly StandardRule[], request: Omit<CheckRequest, 'domains'>, run: RunSettings) => Promise<RuleCheck[][]>;

/** A shard's job as plain data: the run's settings without its hooks (a shard is only used for a run that has none but progress). */
export interface ShardJob {
  readonly names: readonly string[];
  readonly rules: readonly StandardRule[];
  readonly request: Omit<CheckRequest, 'domains'>;
  readonly run: Omit<RunSettings, 'signal' | 'onProgress' | 'onQuery' | 'client'>;
  readonly progress: boolean;
}

/** Messages from a shard's thread: each domain's report (when progress is wanted), then the verdicts or a failure. */
export type ShardMessage = { readonly type: 'progress'; readonly report: DomainReport } | { readonly type: 'checked'; readonly checks: RuleCheck[][] } | { readonly type: 'failed'; readonly message: string };

const ENTRY = new URL(`./dns-shard-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** Whether a run can be split over threads: its hooks other than progress (a shared client, a query tap, a DKIM key source) cannot cross. */
export function shardable(run: RunSettings): boolean {
  return run.client === undefined && run.onQuery === undefined && run.options?.dkimKeySource === undefined;
}

/**
 * Checks domains in a worker thread, with its own DNS client, and judges their DNS rules there (the rules re-read
 * SPF and DMARC from that client's cache); each report is handed to the run's `onProgress` as it comes. Aborting the
 * run's signal ends the thread and rejects.
 */
export function dnsShardThread(): DnsShard {
  return (names, rules, request, run) => {
    const { signal, onProgress, onQuery: _onQuery, client: _client, ...plain } = run;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const worker = cachedWorker(ENTRY);
    return new Promise<RuleCheck[][]>((resolve, reject) => {
      let done = 0;
      const settle = (outcome: RuleCheck[][] | Error): void => {
        signal?.removeEventListener('abort', onAbort);
        worker.removeAllListeners();
        worker.on('error', () => undefined);
        void worker.terminate();
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const onAbort = (): void => settle(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (m: ShardMessage) => {
        if (m.type === 'progress') onProgress?.(++done, names.length, m.report);
        else if (m.type === 'checked') settle(m.checks);
        else settle(new Error(m.message));
      });
      worker.on('error', (error) => settle(error));
      worker.on('exit', (code) => settle(new Error(`the DNS check thread exited (code ${code}) before its checks`)));
      const job: ShardJob = { names, rules, request, run: plain, progress: onProgress !== undefined };
      // A job that cannot be cloned throws here; the thread must still end, or it would keep the process alive.
      try {
        worker.postMessage(job);
      } catch (error) {
        settle(error as Error);
      }
    });
  };
}
