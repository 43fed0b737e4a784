import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ImapPipeline, stallOf, type PipelineOptions } from '../../../../electron/imap/pipeline.ts';

// A loopback peer that records what the pipeline writes and answers when the test says so.
interface Peer {
  readonly pipeline: ImapPipeline;
  readonly server: Socket;
  readonly client: Socket;
  received(): string;
  waitFor(text: string): Promise<void>;
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function peer(leftover = '', options: PipelineOptions = { tagPrefix: 'T' }): Promise<Peer> {
  const server = createServer();
  servers.push(server);
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  const side = await accepted;
  let text = '';
  const waiters: (() => void)[] = [];
  side.on('data', (c: Buffer) => {
    text += c.toString('latin1');
    for (const w of waiters.splice(0)) w();
  });
  const pipeline = new ImapPipeline({ socket: client, capabilities: new Set(), leftover: Buffer.from(leftover) }, options);
  return {
    pipeline,
    server: side,
    client,
    received: () => text,
    waitFor: async (wanted) => {
      while (!text.includes(wanted)) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

describe('ImapPipeline', () => {
  it('writes every command before any answer, matches answers by tag and gives untagged data to the oldest command', async () => {
    const p = await peer();
    const seen: string[] = [];
    const first = p.pipeline.send([Buffer.from('NOOP\r\n')], (r) => seen.push(`first ${r.text}`));
    const second = p.pipeline.send([Buffer.from('STATUS "x" (MESSAGES)\r\n')], (r) => seen.push(`second ${r.text}`));
    await p.waitFor('T2 STATUS');
    expect(p.received()).toBe('T1 NOOP\r\nT2 STATUS "x" (MESSAGES)\r\n');
    p.server.write('* 3 EXISTS\r\nT2 NO [NONEXISTENT] no such mailbox\r\nT1 OK done\r\n');
    expect(await second).toEqual({ status: 'NO', code: 'NONEXISTENT', text: 'no such mailbox' });
    expect(await first).toEqual({ status: 'OK', code: null, text: 'done' });
    expect(seen).toEqual(['first * 3 EXISTS']);
  });

  it('writes the small segments of a command (a MULTIAPPEND of 50 non-synchronising literals) to the socket at once, not one write each', async () => {
    const p = await peer();
    const socket = (p.pipeline as unknown as { socket: Socket }).socket as Socket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
    const writes: number[] = [];
    for (const name of ['_write', '_writev'] as const) {
      const original = socket[name].bind(socket);
      socket[name] = (...a: unknown[]) => (writes.push(Array.isArray(a[0]) ? a[0].length : 1), original(...a));
    }
    const segments = [Buffer.from('APPEND "INBOX"')];
    for (let i = 0; i < 50; i++) segments.push(Buffer.from(` () {${3 + String(i).length}+}\r\n`), Buffer.from(`m-${i}`));
    segments.push(Buffer.from('\r\n'));
    const expected = `T1 ${Buffer.concat(segments).toString('latin1')}`;
    const answer = p.pipeline.send(segments);
    await p.waitFor('m-49\r\n');
    expect(p.received()).toBe(expected);
    // Main wrote each of the 102 segments on its own.
    expect(writes).toEqual([102]);
    p.server.write('T1 OK done\r\n');
    expect((await answer).status).toBe('OK');
  });

  it('hands the socket at most about 256 KB beyond what it has sent, however many segments a command has', async () => {
    const p = await peer();
    // The server reads nothing: what the kernel's buffers do not take stays with the client.
    p.server.pause();
    const body = Buffer.alloc(100 * 1024, 97);
    const segments: Buffer[] = [Buffer.from('APPEND "INBOX"')];
    for (let i = 0; i < 400; i++) segments.push(Buffer.from(` () {${body.length}+}\r\n`), body);
    void p.pipeline.send([...segments, Buffer.from('\r\n')]).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(p.client.writableLength).toBeGreaterThan(0);
    expect(p.client.writableLength).toBeLessThanOrEqual(512 * 1024);
    p.client.destroy();
  });

  it('holds a synchronising literal until the server says "+", and queues later commands behind it', async () => {
    const p = await peer();
    const append = p.pipeline.send([Buffer.from('APPEND "INBOX" {5}\r\n'), 'await-continuation', Buffer.from('hello'), Buffer.from('\r\n')]);
    const noop = p.pipeline.send([Buffer.from('NOOP\r\n')]);
    await p.waitFor('{5}\r\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(p.received()).toBe('T1 APPEND "INBOX" {5}\r\n');
    p.server.write('+ go ahead\r\n');
    await p.waitFor('T2 NOOP');
    expect(p.received()).toBe('T1 APPEND "INBOX" {5}\r\nhello\r\nT2 NOOP\r\n');
    p.server.write('T1 OK [APPENDUID 7 1] ok\r\nT2 OK ok\r\n');
    expect((await append).code).toBe('APPENDUID 7 1');
    expect((await noop).status).toBe('OK');
  });

  it('sends the literal of the next command when the answer to the one before comes between its request and its "+"', async () => {
    const p = await peer();
    const first = p.pipeline.send([Buffer.from('APPEND "INBOX" {5}\r\n'), 'await-continuation', Buffer.from('hello'), Buffer.from('\r\n')]);
    const second = p.pipeline.send([Buffer.from('APPEND "INBOX" {5}\r\n'), 'await-continuation', Buffer.from('world'), Buffer.from('\r\n')]);
    await p.waitFor('{5}\r\n');
    p.server.write('+ go ahead\r\n');
    await p.waitFor('T2 APPEND');
    // T1's answer arrives while T2 waits for its "+": it must not take T2's wait with it.
    p.server.write('T1 OK [APPENDUID 7 1] ok\r\n+ go ahead\r\n');
    await p.waitFor('world\r\n');
    expect(p.received()).toBe('T1 APPEND "INBOX" {5}\r\nhello\r\nT2 APPEND "INBOX" {5}\r\nworld\r\n');
    p.server.write('T2 OK [APPENDUID 7 2] ok\r\n');
    expect((await first).code).toBe('APPENDUID 7 1');
    expect((await second).code).toBe('APPENDUID 7 2');
  });

  it('fails a command whose "+" never comes as a stall naming the literal it waited to send', async () => {
    const p = await peer('', { tagPrefix: 'T', stallMs: 200 });
    const append = p.pipeline.send([Buffer.from('APPEND "INBOX" {5}\r\n'), 'await-continuation', Buffer.from('hello'), Buffer.from('\r\n')]);
    const error = await append.catch((e: unknown) => e);
    expect(stallOf(error)).toBe('nothing moved for 0.2 s while waiting for the server\'s "+" to send the 5-byte literal of T1');
    expect((error as Error).message).toMatch(/^stalled: /);
    expect(p.pipeline.alive).toBe(false);
  });

  it('fails a FETCH whose literal stops arriving as a stall naming the command and the bytes still to come', async () => {
    const p = await peer('', { tagPrefix: 'T', stallMs: 200 });
    const fetch = p.pipeline.send([Buffer.from('UID FETCH 1 (BODY.PEEK[])\r\n')]);
    await p.waitFor('UID FETCH');
    p.server.write('* 1 FETCH (UID 1 BODY[] {100}\r\nabc');
    const error = await fetch.catch((e: unknown) => e);
    expect(stallOf(error)).toBe('nothing moved for 0.2 s while waiting for the answer to T1 UID FETCH 1 (BODY.PEEK[]) (in a literal, 97 bytes still to come)');
  });

  it('fails the connection, not the process, when the server announces a literal no Buffer can hold', async () => {
    const p = await peer('', { tagPrefix: 'T', stallMs: 2000 });
    const fetch = p.pipeline.send([Buffer.from('UID FETCH 1 (BODY.PEEK[])\r\n')]);
    await p.waitFor('UID FETCH');
    p.server.write('* 1 FETCH (UID 1 BODY[] {99999999999999}\r\nabc');
    const error = (await fetch.catch((e: unknown) => e)) as { code?: string; message?: string };
    expect([error.code, error.message]).toEqual(['EPROTO', 'the server announced a literal of 99999999999999 bytes, more than this machine can hold']);
    expect(p.pipeline.alive).toBe(false);
  });

  it('sends no literal the server refused before asking for it, and goes on with the next command', async () => {
    const p = await peer();
    const append = p.pipeline.send([Buffer.from('APPEND "INBOX" {5}\r\n'), 'await-continuation', Buffer.from('hello'), Buffer.from('\r\n')]);
    const noop = p.pipeline.send([Buffer.from('NOOP\r\n')]);
    await p.waitFor('{5}\r\n');
    p.server.write('T1 NO [TOOBIG] too big\r\n');
    expect(await append).toMatchObject({ status: 'NO', code: 'TOOBIG' });
    await p.waitFor('T2 NOOP');
    expect(p.received()).toBe('T1 APPEND "INBOX" {5}\r\nT2 NOOP\r\n');
    p.server.write('T2 OK ok\r\n');
    expect((await noop).status).toBe('OK');
  });

  it('reads literals into the response and keeps them apart from the text', async () => {
    const p = await peer();
    let body: Buffer | null = null;
    const fetch = p.pipeline.send([Buffer.from('UID FETCH 1 (BODY.PEEK[])\r\n')], (r) => (body = r.literals[0] ?? null));
    await p.waitFor('UID FETCH');
    p.server.write('* 1 FETCH (UID 1 BODY[] {7}\r\nab\r\ncd');
    p.server.write('e)\r\nT1 OK done\r\n');
    await fetch;
    expect(body!.toString('latin1')).toBe('ab\r\ncde');
  });

  it('rejects every waiting command when the connection drops, keeps the BYE text, and refuses new ones', async () => {
    const p = await peer('* OK ready\r\n');
    const a = p.pipeline.send([Buffer.from('NOOP\r\n')]);
    const b = p.pipeline.send([Buffer.from('NOOP\r\n')]);
    await p.waitFor('T2 NOOP');
    p.server.end('* BYE shutting down\r\n');
    await expect(a).rejects.toThrow(/connection closed/);
    await expect(b).rejects.toThrow(/connection closed/);
    expect(p.pipeline.byeText).toBe('* BYE shutting down');
    expect(p.pipeline.alive).toBe(false);
    await expect(p.pipeline.send([Buffer.from('NOOP\r\n')])).rejects.toThrow(/connection closed/);
  });
});
