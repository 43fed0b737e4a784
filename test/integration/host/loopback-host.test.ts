import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { startLoopbackHost, type LoopbackHost } from '../../../electron/host/loopback-host.ts';
import { createMemoryLogger } from '../../../electron/platform/logger.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';

describe('loopback host', () => {
  let dir: string;
  let services: Services;
  let host: LoopbackHost;
  const call = (channel: string, args: unknown[], headers: Record<string, string> = {}) =>
    fetch(`${host.origin}/api/${channel}`, {
      method: 'POST',
      headers: { origin: host.origin, authorization: `Bearer ${host.token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(args),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-host-'));
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Mailroom</title>');
    writeFileSync(join(dir, 'secret.txt'), 'outside the renderer folder');
    services = composeServices({ dataDir: join(dir, 'data'), vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
    host = await startLoopbackHost({ router: services.router, events: services.events, logger: createMemoryLogger(), rendererDir: join(dir, 'renderer') });
  });

  afterAll(async () => {
    await host.close();
    services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only and puts the token in the fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
  });

  it('answers a valid call with a Result', async () => {
    const response = await call('connections.list', []);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, value: [] });
  });

  it('rejects a missing or wrong token and a foreign Origin', async () => {
    expect((await call('connections.list', [], { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call('connections.list', [], { authorization: '' })).status).toBe(401);
    expect((await call('connections.list', [], { origin: 'http://evil.example' })).status).toBe(401);
    const body = await (await call('connections.list', [], { origin: 'null' })).json();
    expect(body.error.code).toBe('transport.unauthorized');
  });

  it('rejects a rebinding Host header', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((done) => {
      const req = request(`${host.origin}/`, { headers: { host: 'attacker.example:80' } }, (res) => done(res.statusCode ?? 0));
      req.end();
    });
    expect(status).toBe(421);
  });

  it('answers invalid JSON and invalid input with input.invalid', async () => {
    const raw = await fetch(`${host.origin}/api/connections.list`, {
      method: 'POST',
      headers: { origin: host.origin, authorization: `Bearer ${host.token}` },
      body: '{not json',
    });
    expect(raw.status).toBe(400);
    const bad = await (await call('connections.test', [42])).json();
    expect(bad.error.code).toBe('input.invalid');
  });

  it('serves the renderer with a strict CSP and never files outside it', async () => {
    const index = await fetch(`${host.origin}/`);
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    const traversal = await fetch(`${host.origin}/..%2fsecret.txt`);
    expect(await traversal.text()).not.toContain('outside the renderer folder');
  });

  it('delivers events over an authenticated WebSocket and refuses others', async () => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/events`, ['mailroom.v1', `token.${host.token}`], { origin: host.origin });
    await new Promise((done, fail) => ws.once('open', done).once('error', fail));
    const received = new Promise<{ event: string; payload: { action: string } }>((done) => ws.once('message', (data) => done(JSON.parse(String(data)))));
    await call('connections.remove', ['no-such-connection']);
    const message = await received;
    expect(message.event).toBe('audit.appended');
    expect(message.payload.action).toBe('connections.remove');
    ws.close();

    const intruder = new WebSocket(`${host.origin.replace('http', 'ws')}/events`, ['mailroom.v1', 'token.wrong'], { origin: host.origin });
    const outcome = await new Promise<string>((done) => {
      intruder.once('open', () => done('open'));
      intruder.once('error', () => done('refused'));
    });
    expect(outcome).toBe('refused');
  });
});
