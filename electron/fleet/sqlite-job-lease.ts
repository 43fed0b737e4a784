import type { Db } from '../db/database.ts';

/** The job is being run by another live process; the worker hands it back to the queue for later instead of failing it. */
export class JobHeldError extends Error {
  override readonly name = 'JobHeldError';
}

// Leases this process holds, by state file and job: a job handed back to this same process (after a lost
// lock) while its first run is still stopping must wait like any other holder.
const heldHere = new Set<string>();

/**
 * Takes a job's lease in a SQLite state file shared by the workers of one machine: the row names the
 * holding process, and a holder that is still alive (even stopped, or cut off from Redis while its
 * BullMQ lock expired) keeps the job, so two processes never copy the same mailbox at once.
 * Returns the release. A lease left by a killed process is taken over.
 */
export function takeSqliteLease(db: Db, path: string, jobId: string): () => void {
  const here = `${path}\u0000${jobId}`;
  if (heldHere.has(here)) throw new JobHeldError(`job ${jobId} is still stopping in this process`);
  // The table belongs to the fleet, not to the app's schema: a state file of one machine's workers only.
  db.exec('CREATE TABLE IF NOT EXISTS fleet_job_leases (job_id TEXT PRIMARY KEY, pid INTEGER NOT NULL, taken_at TEXT NOT NULL)');
  db.transaction(() => {
    const row = db.prepare('SELECT pid FROM fleet_job_leases WHERE job_id = ?').get(jobId) as { pid: number } | undefined;
    if (row && row.pid !== process.pid && processAlive(row.pid)) throw new JobHeldError(`job ${jobId} is being run by process ${row.pid}`);
    db.prepare('INSERT INTO fleet_job_leases (job_id, pid, taken_at) VALUES (?, ?, ?) ON CONFLICT (job_id) DO UPDATE SET pid = excluded.pid, taken_at = excluded.taken_at').run(jobId, process.pid, new Date().toISOString());
  }).immediate();
  heldHere.add(here);
  return () => {
    heldHere.delete(here);
    db.prepare('DELETE FROM fleet_job_leases WHERE job_id = ? AND pid = ?').run(jobId, process.pid);
  };
}

/** True while a process with that pid exists on this machine (EPERM: it exists under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
