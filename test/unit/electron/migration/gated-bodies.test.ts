import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyBudget } from '../../../../electron/migration/body-budget.ts';
import { FetchConnection } from '../../../../electron/migration/fetch-connection.ts';
import type { LoggedInSession } from '../../../../electron/imap/session.ts';

const BODY = 64 * 1024;
const COUNT = 40;

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

// A source that answers any UID FETCH with COUNT bodies of BODY bytes, all written at once.
async function source(): Promise<FetchConnection> {
  const server = createServer((side: Socket) => {
    side.on('error', () => undefined);
    side.on('data', (c: Buffer) => {
      const tag = /^(\S+) UID FETCH/.exec(c.toString('latin1'))?.[1];
      if (!tag) return;
      for (let uid = 1; uid <= COUNT; uid++) side.write(Buffer.concat([Buffer.from(`* ${uid} FETCH (UID ${uid} BODY[] {${BODY}}\r\n`), Buffer.alloc(BODY, 97), Buffer.from(')\r\n')]));
      side.write(`${tag} OK done\r\n`);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = connect((server.address() as { port: number }).port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  const session = { socket: client, capabilities: new Set<string>(), leftover: Buffer.alloc(0) } as unknown as LoggedInSession;
  return new (FetchConnection as unknown as new (s: LoggedInSession, stallMs: number) => FetchConnection)(session, 10_000);
}

describe('a body stream counted in the run budget', () => {
  it('counts each body parsed, stops reading while the budget is blocked, and asks once for what is held to be sent', async () => {
    const conn = await source();
    const gate = new BodyBudget(256 * 1024);
    gate.startUpload();
    let held = 0;
    let nulls = 0;
    let got = 0;
    for await (const m of conn.gatedBodies('1:40', 2 * 1024 * 1024, gate)) {
      if (m === null) {
        nulls++;
        // Held within the limit and what one socket read completed; reading resumes once the upload gives bytes back.
        expect(gate.bytes).toBeLessThanOrEqual(256 * 1024 + 2 * BODY);
        expect(gate.bytes).toBe(held);
        gate.endUpload(held);
        held = 0;
        gate.startUpload();
        continue;
      }
      got++;
      held += m.content.length;
    }
    expect(got).toBe(COUNT);
    expect(nulls).toBeGreaterThanOrEqual(COUNT * BODY / (256 * 1024 + 2 * BODY) - 1);
    expect(gate.bytes).toBe(held);
    conn.destroy();
  });

  it('gives back what it read ahead when the caller leaves early, and never blocks with nothing uploading', async () => {
    const conn = await source();
    const gate = new BodyBudget(BODY);
    let got = 0;
    for await (const m of conn.gatedBodies('1:40', 4 * BODY, gate)) {
      expect(m).not.toBeNull();
      got++;
      if (got === 3) break;
    }
    // Only the three bodies handed over are still counted: the caller gives them back.
    expect(gate.bytes).toBe(3 * BODY);
    // The rest of the FETCH is unread: the connection is spent.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(conn.alive).toBe(false);
  });

  it('counts nothing more once the caller leaves by an error while the budget holds the socket paused', async () => {
    const conn = await source();
    const gate = new BodyBudget(BODY);
    // Another folder's upload is out: this stream is held as soon as it is over the budget.
    gate.startUpload();
    let handed = 0;
    await expect(
      (async () => {
        for await (const m of conn.gatedBodies('1:40', 16 * BODY, gate)) {
          if (m === null) {
            // The source's bytes pile up behind the paused socket meanwhile.
            await new Promise((resolve) => setTimeout(resolve, 100));
            throw new Error('the caller failed while held (e.g. its state store)');
          }
          handed += m.content.length;
        }
      })(),
    ).rejects.toThrow('the caller failed');
    // What was parsed but not handed over came back; what the unread socket still held never counts.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gate.bytes).toBe(handed);
    expect(conn.alive).toBe(false);
  });
});
