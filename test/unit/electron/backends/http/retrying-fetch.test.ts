import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRetryingFetch } from '../../../../../electron/backends/http/http-client.ts';
import { FakeHttpServer, json } from '../../../../fakes/http/fake-http-server.ts';

describe('createRetryingFetch', () => {
  let server: FakeHttpServer;
  let base: string;
  const waits: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    waits.push(ms);
  };

  beforeEach(async () => {
    waits.length = 0;
    server = new FakeHttpServer(() => json(200, { ok: true }));
    base = await server.start();
  });
  afterEach(() => server.close());

  it('waits Retry-After seconds, then succeeds', async () => {
    server.throttle({ times: 2, retryAfter: '3' });
    const res = await createRetryingFetch({ sleep })(`${base}/x`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(waits).toEqual([3000, 3000]);
  });

  it('backs off with jitter on 503 without Retry-After and gives up after maxAttempts', async () => {
    server.throttle({ times: 10, reply: { status: 503 } });
    const res = await createRetryingFetch({ sleep, random: () => 0.5, retry: { maxAttempts: 3, baseDelayMs: 100 } })(`${base}/x`);
    expect(res.status).toBe(503);
    expect(waits).toEqual([50, 100]);
    expect(server.count()).toBe(3);
  });

  it('returns a Retry-After beyond the cap to the caller instead of sleeping', async () => {
    server.throttle({ times: 1, retryAfter: '3600' });
    const res = await createRetryingFetch({ sleep })(`${base}/x`);
    expect(res.status).toBe(429);
    expect(waits).toEqual([]);
  });

  it('never retries 401 or a permission 403', async () => {
    server.throttle({ times: 1, reply: { status: 401, body: { error: 'no' } } });
    expect((await createRetryingFetch({ sleep })(`${base}/x`)).status).toBe(401);
    expect(server.count()).toBe(1);
    server.seen.length = 0;
    server.throttle({ times: 1, reply: { status: 403, body: { error: { code: 403, errors: [{ reason: 'forbidden' }] } } } });
    expect((await createRetryingFetch({ sleep })(`${base}/x`)).status).toBe(403);
    expect(server.count()).toBe(1);
  });

  it('stops waiting when the signal aborts', async () => {
    server.throttle({ times: 1, retryAfter: '30' });
    const controller = new AbortController();
    const pending = createRetryingFetch()(`${base}/x`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
