import { parentPort } from 'node:worker_threads';
import { CapabilitiesRepo } from '../db/capabilities-repo.ts';
import { openDatabase } from '../db/database.ts';
import { ProvisioningFactsRepo } from '../db/provisioning-facts-repo.ts';
import { StandardsRepo } from '../db/standards-repo.ts';
import type { RunSettings } from '../dns/run.ts';
import { evaluateStandard, storeEvaluation } from './evaluate.ts';
import type { EvaluateThreadCommand, EvaluateThreadMessage, ThreadJob } from './evaluate-thread.ts';

// The worker thread of one evaluation (evaluate-thread.ts): its own connection to the database, the evaluation, and
// the store once the calling thread commits. It is terminated by the calling thread when the run is cancelled.
const port = parentPort!;
const send = (m: EvaluateThreadMessage): void => port.postMessage(m);
const keyAnswers = new Map<number, (pem: string | null) => void>();
let nextKey = 0;
let commit: () => void = () => undefined;
const committed = new Promise<void>((resolve) => (commit = resolve));

port.on('message', (command: EvaluateThreadCommand) => {
  if (command.type === 'run') void run(command.file, command.job);
  else if (command.type === 'dkimKey') {
    keyAnswers.get(command.id)?.(command.pem);
    keyAnswers.delete(command.id);
  } else commit();
});

// The signing keys live in the calling thread's vault: each question is asked there.
const dkimKeySource = (domain: string, selector: string): Promise<string | null> =>
  new Promise((resolve) => {
    const id = nextKey++;
    keyAnswers.set(id, resolve);
    send({ type: 'dkimKey', id, domain, selector });
  });

async function run(file: string, job: ThreadJob): Promise<void> {
  const db = openDatabase(file);
  try {
    const facts = new ProvisioningFactsRepo(db);
    const capabilities = new CapabilitiesRepo(db);
    const settings: RunSettings = {
      ...job.run,
      options: { ...job.run.options, ...(job.dkimKeys ? { dkimKeySource } : {}) },
      ...(job.progress ? { onProgress: (done, total, report) => send({ type: 'progress', done, total, report }) } : {}),
    };
    const evaluation = await evaluateStandard({
      standard: job.standard,
      targets: job.targets,
      at: new Date(job.at),
      request: job.request,
      run: settings,
      facts: facts.reader(),
      capabilities: (id) => capabilities.get(id),
      heldSince: new Map(job.heldSince),
      acceptances: job.acceptances,
    });
    send({ type: 'evaluated', evaluation });
    if (!job.record) return;
    await committed;
    storeEvaluation(new StandardsRepo(db), evaluation, job.targets);
    send({ type: 'recorded' });
  } catch (error) {
    send({ type: 'failed', message: (error as Error).message });
  } finally {
    db.close();
    port.close();
  }
}
