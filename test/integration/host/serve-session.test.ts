import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import type { LoopbackHostOptions } from '../../../electron/host/loopback-host.ts';
import { loadServeSession, serveSessionFile, startKeptSession } from '../../../electron/host/serve-session.ts';
import { launchCommand } from '../../../electron/cli/launch-command.ts';
import { createMemoryLogger } from '../../../electron/platform/logger.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';

// `npm start` serves with --keep-session: the same port and key at every start, so the printed address can be bookmarked.
describe('a kept serve session', () => {
  let dir: string;
  let dataDir: string;
  let services: Services;
  let options: LoopbackHostOptions;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-kept-'));
    dataDir = join(dir, 'data');
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Mailroom</title>');
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback', command: 'npm start' });
    options = { router: services.router, events: services.events, logger: createMemoryLogger(), rendererDir: join(dir, 'renderer'), command: 'npm start' };
  });

  afterAll(() => {
    services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reuses the port and key of the previous start and keeps them in a file only this user can read', async () => {
    const first = await startKeptSession(options, dataDir);
    const url = first.url;
    await first.close();
    expect(statSync(serveSessionFile(dataDir)).mode & 0o777).toBe(0o600);
    const second = await startKeptSession(options, dataDir);
    try {
      expect(second.url).toBe(url);
      const answer = await fetch(`${second.origin}/api/connections.list`, { method: 'POST', headers: { origin: second.origin, authorization: `Bearer ${second.token}` }, body: '[]' });
      expect(await answer.json()).toEqual({ ok: true, value: [] });
    } finally {
      await second.close();
    }
  });

  it('moves to a free port when the kept one is taken, keeps the key, and remembers the new port', async () => {
    const kept = loadServeSession(dataDir);
    const squatter = createServer();
    await new Promise<void>((done) => squatter.listen(kept.port, '127.0.0.1', done));
    try {
      const host = await startKeptSession(options, dataDir);
      await host.close();
      expect(host.token).toBe(kept.token);
      expect(Number(new URL(host.origin).port)).not.toBe(kept.port);
      expect(loadServeSession(dataDir)).toEqual({ port: Number(new URL(host.origin).port), token: kept.token });
    } finally {
      squatter.close();
    }
  });

  it('starts a new session when the file is damaged', () => {
    writeFileSync(serveSessionFile(dataDir), '{"port": "x"');
    const fresh = loadServeSession(dataDir);
    expect(fresh.port).toBe(0);
    expect(fresh.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('names the command the user ran, to a tab without a key and in the app info', async () => {
    const host = await startKeptSession(options, dataDir);
    try {
      expect(await (await fetch(`${host.origin}/launch.json`)).json()).toEqual({ command: 'npm start' });
      const refused = await (await fetch(`${host.origin}/api/app.info`, { method: 'POST', headers: { origin: host.origin }, body: '[]' })).json();
      expect(refused.error.message).toContain('`npm start`');
      expect(await services.router.dispatch('app.info', [])).toMatchObject({ ok: true, value: { command: 'npm start' } });
    } finally {
      await host.close();
    }
  });

  it('derives that command from what npm ran', () => {
    expect(launchCommand({ npm_lifecycle_event: 'start' })).toBe('npm start');
    expect(launchCommand({ npm_lifecycle_event: 'mailroom' })).toBe('npm run mailroom -- serve');
    expect(launchCommand({})).toBe('mailroom serve');
  });
});
