import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { pairJobId, queueJobId } from '../../../electron/fleet/fleet-payload.ts';

const prefix = `fleet-ids-${process.pid}-${Date.now()}`;
const queue = new Queue('ids', { connection: { host: '127.0.0.1', port: 6379 }, prefix });

afterAll(async () => {
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
});

// A pair's job id is 16 hex digits: about one pair in 1,850 gets one made of decimal digits only.
describe('BullMQ ids of pair jobs (real Redis)', () => {
  it('enqueues a pair whose job id reads as an integer, which BullMQ refuses as it is', async () => {
    const digits = '1234567890123456';
    await expect(queue.add('mailbox', {}, { jobId: digits })).rejects.toThrow(/cannot be integers/i);
    const job = await queue.add('mailbox', {}, { jobId: queueJobId(digits) });
    expect(pairJobId(job.id!)).toBe(digits);
    expect((await queue.getJob(queueJobId(digits)))?.id).toBe(job.id);
  });
});
