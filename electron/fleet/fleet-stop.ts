import type { Redis } from 'ioredis';

/** The failure reason of a job a worker ended because the console paused or cancelled its batch. */
export const STOPPED_REASON = 'Stopped by the console (pause or cancel); the shared state keeps every settled message.';

// A stop request outlives any pause a batch should see between two passes; resume, retry and delta clear it.
const STOP_TTL_SECONDS = 7 * 86_400;

/** Redis key that asks the workers to stop one job (a pair's job id). */
export function stopKey(prefix: string, jobId: string): string {
  return `${prefix}:fleet:stop:${jobId}`;
}

/** Asks every worker to stop these jobs: one not started yet ends at once, a running one at its next safe point. */
export async function requestStop(redis: Redis, prefix: string, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  const multi = redis.multi();
  for (const id of jobIds) multi.set(stopKey(prefix, id), '1', 'EX', STOP_TTL_SECONDS);
  await multi.exec();
}

/** Withdraws the stop requests of these jobs (before they are queued again). */
export async function clearStop(redis: Redis, prefix: string, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length > 0) await redis.del(...jobIds.map((id) => stopKey(prefix, id)));
}

/** True when the console asked to stop this job. */
export async function stopRequested(redis: Redis, prefix: string, jobId: string): Promise<boolean> {
  return (await redis.exists(stopKey(prefix, jobId))) === 1;
}
