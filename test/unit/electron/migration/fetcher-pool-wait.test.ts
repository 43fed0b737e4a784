import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImapEndpoint } from '../../../../electron/imap/imap-endpoint.ts';
import { ConnectionCap } from '../../../../electron/migration/connection-cap.ts';
import { FetcherPool } from '../../../../electron/migration/fetcher-pool.ts';
import { stallOf } from '../../../../electron/imap/pipeline.ts';

// Never dialled: the cap is full, so the pool opens nothing.
const endpoint = { host: '127.0.0.1', port: 1 } as unknown as ImapEndpoint;

afterEach(() => vi.useRealTimers());

// A server at its connection limit, every slot held by sessions outside the copy (say, the run's imapflow
// client after the raw login was refused): no connection of the pool's will ever be given back.
describe('a source borrow at the cap', () => {
  it('gives up with a stall naming what it waited for when no connection of the pool is alive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const source = new ConnectionCap('source', [], 1);
    source.hold({ alive: true });
    const pool = new FetcherPool(endpoint, endpoint, undefined, { source, target: new ConnectionCap('target', []) });
    const borrowed = pool.borrow().then(() => 'borrowed', (e: unknown) => e);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(await Promise.race([borrowed, Promise.resolve('still waiting')])).toBe('still waiting');
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await borrowed;
    expect(stallOf(error)).toContain('a free source connection');
    expect((error as Error).message).toMatch(/no source connection became free in 30 s/);
  });
});
