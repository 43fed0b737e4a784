import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenBytes, resumedBytes, SocketFeed, unlistenBytes } from '../../../../electron/imap/socket-feed.ts';

let server: Server | null = null;
afterEach(() => server?.close());

// A server that writes `parts` one by one when told to, and a client socket reading into a feed.
async function pair(): Promise<{ client: Socket; peer: Socket }> {
  const peer = new Promise<Socket>((resolve) => {
    server = createServer(resolve);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const feed = new SocketFeed();
  const client = connect({ host: '127.0.0.1', port: (server!.address() as { port: number }).port, onread: feed.onread });
  feed.attach(client);
  await new Promise((resolve) => client.once('connect', resolve));
  return { client, peer: await peer };
}

const tick = (ms = 30): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('SocketFeed', () => {
  it('delivers through the reused buffer, holds copies while paused or unclaimed, and hands them over in order', async () => {
    const { client, peer } = await pair();
    const got: string[] = [];
    const sink = (chunk: Buffer): void => void got.push(chunk.toString());
    peer.write('before-any-sink;');
    await tick();
    listenBytes(client, sink);
    await tick();
    expect(got.join('')).toBe('before-any-sink;');
    client.pause();
    peer.write('while-paused;');
    await tick();
    expect(got.join('')).toBe('before-any-sink;');
    client.resume();
    resumedBytes(client);
    peer.write('after;');
    await tick();
    expect(got.join('')).toBe('before-any-sink;while-paused;after;');
    unlistenBytes(client, sink);
    peer.write('held;');
    await tick();
    const next: string[] = [];
    listenBytes(client, (chunk) => void next.push(chunk.toString()));
    await tick();
    expect(next.join('')).toBe('held;');
    expect(client.listenerCount('data')).toBe(0);
    client.destroy();
    peer.destroy();
  });
});
