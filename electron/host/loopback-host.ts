import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventChannels } from '../../shared/ipc/channels.ts';
import type { Events } from '../../shared/ipc/contract.ts';
import { err } from '../../shared/errors/result.ts';
import type { Router } from '../ipc/router.ts';
import type { EventBus } from '../platform/event-bus.ts';
import type { Logger } from '../platform/logger.ts';
import { serveStatic } from './static-files.ts';

/** Options of the loopback host. */
export interface LoopbackHostOptions {
  readonly router: Router;
  readonly events: EventBus;
  readonly logger: Logger;
  /** The built renderer (index.html and assets). */
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Fixed token (tests, or a session kept between starts); random otherwise. */
  readonly token?: string;
  /** The command the user ran to start this console (`npm start`, `mailroom serve`), for the sign-in page's advice. */
  readonly command?: string;
}

/** A running loopback host. */
export interface LoopbackHost {
  /** The address to open in a browser; the token travels in the fragment, which browsers never send. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY = 32 * 1024 * 1024;
const WS_PROTOCOL = 'mailroom.v1';

/** The security headers on every response; the CSP matches the one in renderer/index.html. */
function securityHeaders(origin: string): Record<string, string> {
  const ws = origin.replace(/^http/, 'ws');
  return {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ${ws}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

/**
 * Serves the router to a browser on 127.0.0.1 only: POST /api/<area>.<method> with a bearer token
 * and a same-origin Origin header, events over a WebSocket at /events, and the built renderer.
 */
export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const command = options.command ?? 'mailroom serve';
  let origin = '';
  const hostMatches = (req: IncomingMessage): boolean => req.headers.host === origin.slice('http://'.length);
  const server: Server = createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      options.logger.error('loopback request failed', { error });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = securityHeaders(origin);
    // A DNS-rebinding page reaches us with a foreign Host header; answer nothing.
    if (!hostMatches(req)) {
      res.writeHead(421, headers).end();
      return;
    }
    const path = req.url ?? '/';
    if (path.startsWith('/api/')) {
      if (req.method !== 'POST') {
        res.writeHead(405, headers).end();
        return;
      }
      if (req.headers.origin !== origin || !tokenMatches(req.headers.authorization, token)) {
        sendJson(res, 401, headers, err('transport.unauthorized', `Missing or wrong session token; open the URL that \`${command}\` printed.`));
        return;
      }
      const body = await readBody(req);
      if (body === null) {
        sendJson(res, 413, headers, err('input.invalid', 'Request body too large.'));
        return;
      }
      let args: unknown;
      try {
        args = body.length === 0 ? [] : JSON.parse(body);
      } catch {
        sendJson(res, 400, headers, err('input.invalid', 'Request body is not JSON.'));
        return;
      }
      const channel = decodeOrNull(path.slice('/api/'.length));
      if (channel === null) {
        sendJson(res, 400, headers, err('input.invalid', 'The request path is not valid percent-encoding.'));
        return;
      }
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      const result = await options.router.dispatch(channel, args, abort.signal);
      sendJson(res, 200, headers, result);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    // Without a session key the page can still name the command that printed the address (nothing secret).
    if (path === '/launch.json') {
      sendJson(res, 200, headers, { command });
      return;
    }
    serveStatic(rendererDir, path, res, headers);
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  server.on('upgrade', (req, socket, head) => {
    // The same rebinding defence as for HTTP: a WebSocket is an HTTP request first.
    if (!hostMatches(req)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const presented = offered.find((p) => p.startsWith('token.'))?.slice('token.'.length);
    if (req.url !== '/events' || req.headers.origin !== origin || !tokenMatches(`Bearer ${presented ?? ''}`, token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachEvents(ws));
  });

  const attachEvents = (ws: WebSocket): void => {
    const names = Object.keys(eventChannels) as (keyof Events)[];
    const off = options.events.onAny((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    }, names);
    ws.on('close', off);
    ws.on('error', off);
  };

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function decodeOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
