import { parentPort } from 'node:worker_threads';
import type { DomainReport } from '../../shared/domain/dns.ts';
import { runChecks, runClient } from '../dns/run.ts';
import { evaluateDnsRule } from './dns-rules.ts';
import type { ShardJob, ShardMessage } from './dns-shard.ts';
import type { RuleCheck } from './rule-check.ts';

// The worker thread of one DNS shard (dns-shard.ts): checks its domains with a client of its own and judges their DNS
// rules against that client's cache, as evaluate.ts does for the domains it checks itself. Ended by the calling thread.
const port = parentPort!;
const send = (m: ShardMessage): void => port.postMessage(m);

port.once('message', (job: ShardJob) => {
  run(job).then(
    (checks) => send({ type: 'checked', checks }),
    (error: unknown) => send({ type: 'failed', message: (error as Error).message }),
  );
});

async function run(job: ShardJob): Promise<RuleCheck[][]> {
  const client = runClient(job.run);
  const onProgress = (_done: number, _total: number, report: DomainReport): void => send({ type: 'progress', report });
  const { reports } = await runChecks({ ...job.request, domains: [...job.names] }, { ...job.run, client, ...(job.progress ? { onProgress } : {}) });
  const env = { dns: client, dnssecChecked: job.run.servers.length > 0 };
  return Promise.all(reports.map((report) => Promise.all(job.rules.map((rule) => evaluateDnsRule(rule, report, env)))));
}
