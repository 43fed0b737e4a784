import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { startLoopbackHost, type LoopbackHost } from '../../../electron/host/loopback-host.ts';
import { KeychainVault } from '../../../electron/platform/keychain-vault.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import { dataFiles } from '../../../electron/platform/paths.ts';
import { testServers } from '../../support/servers.ts';

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('a connection password never leaves the keychain', () => {
  const password = `Canary-${randomUUID()}-pw`;
  const encodings = [password, Buffer.from(password).toString('base64'), Buffer.from(password).toString('hex')];
  let dataDir: string;
  let services: Services;
  let host: LoopbackHost;
  const seenByRenderer: string[] = [];
  let socket: WebSocket;

  const call = async (channel: string, ...args: unknown[]) => {
    const response = await fetch(`${host.origin}/api/${channel}`, {
      method: 'POST',
      headers: { origin: host.origin, authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const text = await response.text();
    seenByRenderer.push(text);
    return JSON.parse(text) as { ok: boolean; value?: { id: string } };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-leak-'));
    const logger = createFileLogger(dataFiles(dataDir).log);
    services = composeServices({ dataDir, vault: new KeychainVault(`Mailroom-leak-${randomUUID()}`), logger, transport: 'loopback' });
    host = await startLoopbackHost({ router: services.router, events: services.events, logger, rendererDir: dataDir });
    socket = new WebSocket(`${host.origin.replace('http', 'ws')}/events`, ['mailroom.v1', `token.${host.token}`], { origin: host.origin });
    socket.on('message', (data) => seenByRenderer.push(String(data)));
    await new Promise((done, fail) => socket.once('open', done).once('error', fail));
  });

  afterAll(async () => {
    socket.close();
    await host.close();
    services.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is absent from the cache (and its WAL), the logs and everything the renderer received', async () => {
    const servers = testServers();
    const base = { host: '127.0.0.1', port: servers.imap.imapsPort, tls: 'implicit', user: servers.users[0]!.user };
    // The server accepts only the seed password, so the canary makes this login fail: a failure path gets logged too.
    const added = await call('connections.addImap', { ...base, name: 'Canary', password });
    expect(added.ok).toBe(true);
    await call('connections.test', added.value!.id);
    await call('connections.list');
    await call('audit.list', {});
    await call('audit.exportCsv');
    // Malformed input with the password in it: the rejection must not echo it back.
    await call('connections.addImap', { ...base, name: '', port: 'nope', password });
    await new Promise((done) => setTimeout(done, 200));

    const db = dataFiles(dataDir).database;
    expect(existsSync(`${db}-wal`)).toBe(true);
    const files = filesUnder(dataDir);
    expect(files).toContain(db);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const encoded of encodings) expect(bytes.includes(encoded), `${encoded} found in ${file}`).toBe(false);
    }
    const received = seenByRenderer.join('\n');
    expect(received).toContain('Canary');
    for (const encoded of encodings) expect(received).not.toContain(encoded);
  });
});
