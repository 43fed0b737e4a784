import { request } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { startLoopbackHost, type LoopbackHost } from '../../../electron/host/loopback-host.ts';
import { createMemoryLogger } from '../../../electron/platform/logger.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';

/** A raw request with exactly the path and headers given (fetch would normalise both). */
function raw(origin: string, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(`${origin}${path}`, { method, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('loopback host hardening', () => {
  let dir: string;
  let services: Services;
  let host: LoopbackHost;
  const hostLog = createMemoryLogger();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-host-hard-'));
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Mailroom</title>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'export const inside = 1;');
    mkdirSync(join(dir, 'private'));
    writeFileSync(join(dir, 'private', 'secret.txt'), 'outside the renderer folder');
    symlinkSync(join(dir, 'private', 'secret.txt'), join(dir, 'renderer', 'leak.txt'));
    symlinkSync(join(dir, 'private'), join(dir, 'renderer', 'linked'));
    symlinkSync(join(dir, 'renderer', 'assets', 'app.js'), join(dir, 'renderer', 'alias.js'));
    services = composeServices({ dataDir: join(dir, 'data'), vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
    host = await startLoopbackHost({ router: services.router, events: services.events, logger: hostLog, rendererDir: join(dir, 'renderer') });
  });

  afterAll(async () => {
    await host.close();
    services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a WebSocket upgrade with a foreign Host header, even with a valid token and Origin', async () => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/events`, ['mailroom.v1', `token.${host.token}`], {
      origin: host.origin,
      headers: { host: 'rebound.attacker.example' },
    });
    const outcome = await new Promise<string>((done) => {
      ws.once('open', () => done('open'));
      ws.once('unexpected-response', (_req, res) => done(`status ${res.statusCode}`));
      ws.once('error', (error) => done(`error ${error.message}`));
    });
    ws.terminate();
    expect(outcome).toBe('status 421');

    // The same upgrade with the right Host still works.
    const good = new WebSocket(`${host.origin.replace('http', 'ws')}/events`, ['mailroom.v1', `token.${host.token}`], { origin: host.origin });
    await new Promise((done, fail) => good.once('open', done).once('error', fail));
    good.close();
  });

  it('never follows a symlink out of the served folder', async () => {
    const file = await raw(host.origin, 'GET', '/leak.txt', {});
    expect(file.body).not.toContain('outside the renderer folder');
    expect(file.status).toBe(403);
    const throughDir = await raw(host.origin, 'GET', '/linked/secret.txt', {});
    expect(throughDir.body).not.toContain('outside the renderer folder');
    expect(throughDir.status).toBe(403);
    // A symlink that stays inside the folder is fine.
    const alias = await fetch(`${host.origin}/alias.js`);
    expect(alias.status).toBe(200);
    expect(alias.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await alias.text()).toContain('inside');
  });

  it('answers an undecodable API path with 400 and a clear body, and logs no stack', async () => {
    const lines = hostLog.lines.length;
    const response = await raw(host.origin, 'POST', '/api/%E0%A4%A', { origin: host.origin, authorization: `Bearer ${host.token}`, 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    const body = JSON.parse(response.body) as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('input.invalid');
    expect(body.error.message).toMatch(/percent-encoding/);
    expect(hostLog.lines.slice(lines).join('\n')).not.toContain('stack');
    expect(hostLog.lines.length).toBe(lines);

    const page = await raw(host.origin, 'GET', '/%E0%A4%A', {});
    expect(page.status).toBe(400);
    expect(page.body).toMatch(/percent-encoding/);
  });
});
