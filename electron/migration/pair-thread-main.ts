import { parentPort } from 'node:worker_threads';
import { openDatabase } from '../db/database.ts';
import { runMigration } from './migrate-job.ts';
import type { PairThreadCommand, PairThreadMessage } from './pair-thread.ts';
import { StateStore } from './state-store.ts';

// The worker thread of one pair (pair-thread.ts): its own connection to the database, the engine, the summary back.
const port = parentPort!;
const controller = new AbortController();
const send = (m: PairThreadMessage): void => port.postMessage(m);

port.on('message', (command: PairThreadCommand) => {
  if (command.type === 'abort') controller.abort();
  else void run(command);
});

async function run(command: Extract<PairThreadCommand, { type: 'run' }>): Promise<void> {
  let outcome: PairThreadMessage;
  const db = openDatabase(command.file);
  try {
    const summary = await runMigration({ ...command.options, store: new StateStore(db, command.jobId), signal: controller.signal, onProgress: (progress) => send({ type: 'progress', progress }) });
    outcome = { type: 'done', summary };
  } catch (error) {
    outcome = { type: 'failed', message: (error as Error).message };
  } finally {
    db.close();
  }
  send(outcome);
  port.close();
}
