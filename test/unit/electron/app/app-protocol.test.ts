import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP, APP_ENTRY, APP_ORIGIN, appScheme, createAppProtocolHandler, isAppUrl } from '../../../../electron/app/app-protocol.ts';

describe('app:// protocol', () => {
  let dir: string;
  let handle: (request: Request) => Promise<Response>;
  const get = (path: string, method = 'GET'): Promise<Response> => handle(new Request(path.includes('://') ? path : `${APP_ORIGIN}${path}`, { method }));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-protocol-'));
    const root = join(dir, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Mailroom</title>');
    writeFileSync(join(root, 'assets', 'main-abc.js'), 'export {};');
    writeFileSync(join(root, 'assets', 'main-abc.css'), 'body{}');
    writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
    writeFileSync(join(root, 'assets', 'font.woff2'), 'w');
    writeFileSync(join(root, 'assets', 'data.bin'), 'b');
    writeFileSync(join(dir, 'secret.txt'), 'outside the renderer folder');
    symlinkSync(join(dir, 'secret.txt'), join(root, 'leak.txt'));
    symlinkSync(dir, join(root, 'up'));
    handle = createAppProtocolHandler(root);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is registered as a standard, secure scheme without a CSP bypass', () => {
    expect(appScheme.scheme).toBe('app');
    expect(appScheme.privileges).toMatchObject({ standard: true, secure: true });
    expect(appScheme.privileges?.bypassCSP).toBeFalsy();
    expect(appScheme.privileges?.allowServiceWorkers).toBeFalsy();
    expect(appScheme.privileges?.corsEnabled).toBeFalsy();
    expect(APP_ENTRY).toBe('app://mailroom/index.html');
  });

  it('serves the renderer with MIME types, the CSP and nosniff', async () => {
    const index = await get('/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>Mailroom</title>');
    expect((await get('/')).status).toBe(200);
    const types: [string, string][] = [
      ['/assets/main-abc.js', 'text/javascript; charset=utf-8'],
      ['/assets/main-abc.css', 'text/css; charset=utf-8'],
      ['/assets/logo.svg', 'image/svg+xml'],
      ['/assets/font.woff2', 'font/woff2'],
      ['/assets/data.bin', 'application/octet-stream'],
    ];
    for (const [path, type] of types) {
      const response = await get(`${path}?v=1`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
    }
    const head = await get('/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('keeps the CSP strict: self only, no inline code, no framing', () => {
    expect(APP_CSP).toContain("default-src 'none'");
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).toContain("frame-ancestors 'none'");
    expect(APP_CSP).not.toMatch(/unsafe|file:|\*/);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/leak.txt', '/up/secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await get(path);
      expect(await response.text(), path).not.toContain('outside the renderer folder');
      expect([403, 404], path).toContain(response.status);
    }
    expect((await get('/leak.txt')).status).toBe(403);
  });

  it('answers bad paths, other hosts and other methods with clear refusals', async () => {
    const bad = await get('/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/percent-encoding/);
    expect((await get('/nothing.js')).status).toBe(404);
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('/index.html', 'POST')).status).toBe(405);
  });

  it('recognises its own URLs and origin only', () => {
    expect(isAppUrl('app://mailroom/index.html')).toBe(true);
    expect(isAppUrl('app://mailroom')).toBe(true);
    for (const url of ['app://mailroom.evil/', 'app://evil/', 'file:///index.html', 'http://mailroom/', 'app://x@mailroom/', 'app://mailroom:8080/', 'nonsense']) expect(isAppUrl(url), url).toBe(false);
  });
});
