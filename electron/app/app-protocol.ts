import { readFile } from 'node:fs/promises';
import type { CustomScheme } from 'electron';
import { resolveRendererFile } from '../host/renderer-files.ts';

/** The custom scheme the Electron window loads the renderer from (never file://). */
export const APP_SCHEME = 'app';
/** The only host of the scheme; any other host answers 404. */
export const APP_HOST = 'mailroom';
/** The renderer's origin in Electron: what CSP 'self', the sender check and the permission policy compare with. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The URL the main window opens. */
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged, before `ready`: a standard, secure scheme (so it has
 * an origin, 'self' means exactly it, and it counts as a secure context), and nothing more: no CSP
 * bypass, no service workers, no CORS from other origins.
 */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** The CSP on every app:// response; the same policy as renderer/index.html, plus frame-ancestors. */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** True for a URL (or origin) on the app's own scheme and host, with no port or credentials. */
export function isAppUrl(url: string | URL): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

/**
 * The app:// handler for protocol.handle: serves GET/HEAD for files under `rendererDir` only,
 * after their realpath stays inside it, with their MIME type and the app's CSP.
 */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed.');
    const url = parseUrl(request.url);
    if (url === null || !isAppUrl(url)) return plain(404, 'Not found.');
    const found = resolveRendererFile(rendererDir, url.pathname);
    if (found.kind === 'bad-request') return plain(400, 'The request path is not valid percent-encoding.');
    if (found.kind === 'forbidden') return plain(403, 'Forbidden.');
    if (found.kind === 'missing') return plain(404, 'Not found.');
    let body: Buffer;
    try {
      body = await readFile(found.path);
    } catch {
      return plain(404, 'Not found.');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...securityHeaders(), 'content-type': found.type, 'content-length': String(body.length), 'cache-control': 'no-cache' },
    });
  };
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': APP_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' } });
}

function parseUrl(url: string | URL): URL | null {
  if (url instanceof URL) return url;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
