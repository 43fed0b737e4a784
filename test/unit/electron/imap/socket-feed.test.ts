import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ImapPipeline } from '../../../../electron/imap/pipeline.ts';
import { listenBytes, resumedBytes, SocketFeed, unlistenBytes } from '../../../../electron/imap/socket-feed.ts';

let server: Server | null = null;
afterEach(() => server?.close());

// A server that writes `parts` one by one when told to, and a client socket reading into a feed.
async function pair(): Promise<{ client: Socket; peer: Socket; feed: SocketFeed }> {
  const peer = new Promise<Socket>((resolve) => {
    server = createServer(resolve);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const feed = new SocketFeed();
  const client = connect({ host: '127.0.0.1', port: (server!.address() as { port: number }).port, onread: feed.onread });
  feed.attach(client);
  await new Promise((resolve) => client.once('connect', resolve));
  return { client, peer: await peer, feed };
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

  it('hands a paused socket\'s held bytes over before the end of the stream that followed them', async () => {
    const { client, peer, feed } = await pair();
    const pipeline = new ImapPipeline({ socket: client, capabilities: new Set(), leftover: Buffer.alloc(0) }, { tagPrefix: 'T' });
    const answer = pipeline.send([Buffer.from('APPEND INBOX {1+}\r\nx\r\n')]).then((r) => `${r.status} [${r.code}] ${r.text}`, (e: Error) => `failed: ${e.message}`);
    await new Promise((resolve) => peer.once('data', resolve));
    pipeline.pause();
    // What Node does when the rest of one TLS read (TLSWrap::ClearOut) comes after pause(): the last
    // records, then the close_notify's EOF (stream_base_commons' onStreamRead: push(null), read(0)).
    const n = feed.onread.buffer.write('T1 OK [APPENDUID 9 4] done\r\n', 'latin1');
    feed.onread.callback(n, feed.onread.buffer);
    client.push(null);
    client.read(0);
    await tick(100);
    pipeline.resume();
    expect(await answer).toBe('OK [APPENDUID 9 4] done');
    peer.destroy();
  });

  it('keeps held bytes ahead of new ones through a second pause before the flush, a sink that pauses mid-flush and a bare resume', async () => {
    const { client, peer, feed } = await pair();
    const got: string[] = [];
    listenBytes(client, (chunk) => {
      got.push(chunk.toString());
      if (chunk.toString() === 'b;') client.pause();
    });
    const late = (text: string): void => void feed.onread.callback(feed.onread.buffer.write(text), feed.onread.buffer);
    client.pause();
    late('a;');
    late('b;');
    late('c;');
    client.resume();
    resumedBytes(client);
    client.pause();
    await tick();
    expect(got).toEqual([]);
    client.resume();
    resumedBytes(client);
    await tick();
    expect(got).toEqual(['a;', 'b;']);
    // A bare socket.resume() (no resumedBytes): the next read must not sit behind what is held, forever.
    client.resume();
    peer.write('d;');
    await tick();
    expect(got.join('')).toBe('a;b;c;d;');
    client.destroy();
    peer.destroy();
  });
});

