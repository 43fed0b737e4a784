import { once } from 'node:events';
import { connect as tlsConnect, createServer, type Server, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { ImapPipeline } from '../../../../electron/imap/pipeline.ts';
import { SocketFeed } from '../../../../electron/imap/socket-feed.ts';

// A throwaway self-signed loopback identity (P-256, valid to 2126); it protects nothing.
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgJZ0IXBLBX2gqA82M
nJLMmsslsJN0JTOpB/53LdrPBeyhRANCAAQAIW9S0IjccInbpj8AFMZxMJO8bh9E
CznDZmmUlHXdLnipbcRwST5IkMm52VBYWg3joU1NCmzJInlDARzUiAfn
-----END PRIVATE KEY-----`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBfjCCASWgAwIBAgIUUNTw48Nqv1upT6qLmwsjH4FDaPcwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwODAzMTkzOFoYDzIxMjYxMTE0
MDMxOTM4WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQAIW9S0IjccInbpj8AFMZxMJO8bh9ECznDZmmUlHXdLnipbcRwST5I
kMm52VBYWg3joU1NCmzJInlDARzUiAfno1MwUTAdBgNVHQ4EFgQUXaN+Oebb0jj8
lQ1cq1KW0AvWyBMwHwYDVR0jBBgwFoAUXaN+Oebb0jj8lQ1cq1KW0AvWyBMwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBweQFJhhj5cGrYyulV/SBb
fIZIGHm6vNcXYzlxhstr5AIgRNSmEr9m5/IvjXww+0u0afBDiMpJ9BJbh8fWY2rR
78g=
-----END CERTIFICATE-----`;

let server: Server | null = null;
afterEach(() => server?.close());

// An implicit-TLS client reading into a feed, as session.ts opens one, and the server's side of it.
async function tlsPair(): Promise<{ client: TLSSocket; peer: TLSSocket }> {
  server = createServer({ key: KEY, cert: CERT });
  const accepted = once(server, 'secureConnection') as Promise<[TLSSocket]>;
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const feed = new SocketFeed();
  const port = (server.address() as { port: number }).port;
  // Spread as session.ts does: Node's typings leave onread out of tls.connect's options, Node honours it.
  const client = tlsConnect({ host: '127.0.0.1', port, ...{ onread: feed.onread }, ca: CERT, servername: 'localhost' });
  feed.attach(client);
  await once(client, 'secureConnect');
  return { client, peer: (await accepted)[0] };
}

describe('SocketFeed on an implicit-TLS socket', () => {
  it('reads through the reused buffer (onread is honoured by tls.connect)', async () => {
    const { client, peer } = await tlsPair();
    const pipeline = new ImapPipeline({ socket: client, capabilities: new Set(), leftover: Buffer.alloc(0) }, { tagPrefix: 'T' });
    const answer = pipeline.send([Buffer.from('NOOP\r\n')]);
    await once(peer, 'data');
    peer.write('T1 OK done\r\n');
    expect((await answer).text).toBe('done');
    expect(client.listenerCount('data')).toBe(0);
    client.destroy();
  });

  it('pauses mid-read and still hands over every response sent before the server\'s close_notify and FIN', async () => {
    const { client, peer } = await tlsPair();
    const pipeline = new ImapPipeline({ socket: client, capabilities: new Set(), leftover: Buffer.alloc(0) }, { tagPrefix: 'T' });
    const untagged: string[] = [];
    // The first response pauses the reader at once, as fetch-connection's back-pressure does.
    const answer = pipeline.send([Buffer.from('FETCH 1:20 (UID)\r\n')], (r) => {
      untagged.push(r.text);
      pipeline.pause();
    });
    const settled = answer.then((r) => r.text, (e: Error) => `failed: ${e.message}`);
    await once(peer, 'data');
    // One TLS record per response, all in the same TCP read as the server's close_notify and FIN.
    for (let i = 1; i <= 20; i++) peer.write(`* ${i} FETCH (UID ${i})\r\n`);
    peer.write('T1 OK fetched\r\n');
    peer.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (let i = 0; i < 20 && untagged.length < 20; i++) {
      pipeline.resume();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const out = await Promise.race([settled, new Promise<string>((resolve) => setTimeout(() => resolve('timed out'), 2000))]);
    expect(untagged).toEqual(Array.from({ length: 20 }, (_, i) => `* ${i + 1} FETCH (UID ${i + 1})`));
    expect(out).toBe('fetched');
    client.destroy();
  });
});
