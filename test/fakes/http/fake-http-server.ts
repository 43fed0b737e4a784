import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A parsed request as a fake's handler sees it. */
export interface FakeRequest {
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: string;
  /** The body's bytes, for binary uploads (photos). */
  readonly rawBytes: Buffer;
  /** JSON, or form fields, or the raw text. */
  readonly body: unknown;
}

/** What a handler answers. */
export interface FakeReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request the fake served, for assertions on counts and timing. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly at: number;
}

interface Throttle {
  remaining: number;
  readonly match: (req: FakeRequest) => boolean;
  readonly reply: FakeReply;
}

/** Loopback HTTP(S) server (port 0 on 127.0.0.1) behind every API fake: logging, throttle injection, JSON. */
export class FakeHttpServer {
  /** Every request served, in order. */
  readonly seen: SeenRequest[] = [];
  readonly #server: Server;
  readonly #throttles: Throttle[] = [];
  readonly #tls: boolean;
  #baseUrl = '';

  constructor(handler: (req: FakeRequest) => FakeReply | Promise<FakeReply>, tls?: { key: string; cert: string }) {
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      void this.#serve(handler, req, res);
    };
    this.#tls = tls !== undefined;
    this.#server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
    // Google's and Microsoft's front ends keep an idle connection for minutes. Node's 5 s default closed
    // sockets while a client was already reusing them, and under load a non-idempotent POST then failed.
    this.#server.keepAliveTimeout = 120_000;
  }

  /** Starts listening and returns the origin, e.g. "http://127.0.0.1:40123". */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#baseUrl = `${this.#tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this.#baseUrl;
  }

  /** The origin this fake listens on. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** Makes the next `times` matching requests fail with `reply` (default: 429 with `Retry-After`). */
  throttle(options: { times: number; retryAfter?: string; match?: (req: FakeRequest) => boolean; reply?: FakeReply }): void {
    const reply = options.reply ?? {
      status: 429,
      body: { error: { code: 'TooManyRequests', message: 'Too many requests' } },
      headers: options.retryAfter === undefined ? {} : { 'retry-after': options.retryAfter },
    };
    this.#throttles.push({ remaining: options.times, match: options.match ?? (() => true), reply });
  }

  /** Requests seen whose path starts with `prefix` (all when omitted). */
  count(prefix = ''): number {
    return this.seen.filter((r) => r.path.startsWith(prefix)).length;
  }

  /** Stops the server and drops idle keep-alive sockets. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(handler: (req: FakeRequest) => FakeReply | Promise<FakeReply>, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const rawBody = rawBytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const type = req.headers['content-type'] ?? '';
    let body: unknown = rawBody;
    if (type.includes('json') && rawBody !== '') body = JSON.parse(rawBody);
    else if (type.includes('x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(rawBody));
    const request: FakeRequest = { method: req.method ?? 'GET', url, path: url.pathname, headers: req.headers, rawBody, rawBytes, body };
    let reply: FakeReply;
    const throttle = this.#throttles.find((t) => t.remaining > 0 && t.match(request));
    if (throttle) {
      throttle.remaining -= 1;
      reply = throttle.reply;
    } else {
      try {
        reply = await handler(request);
      } catch (error) {
        reply = { status: 500, body: { error: { code: 'FakeBug', message: String(error) } } };
      }
    }
    this.seen.push({ method: request.method, path: request.path, status: reply.status, at: Date.now() });
    const headers: Record<string, string> = { ...reply.headers };
    let payload: string | Buffer = '';
    if (Buffer.isBuffer(reply.body)) {
      // Raw bytes (a message's MIME content) go out as they are.
      payload = reply.body;
      headers['content-type'] ??= 'application/octet-stream';
    } else if (reply.body !== undefined) {
      payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      headers['content-type'] ??= typeof reply.body === 'string' ? 'text/plain' : 'application/json';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}

/** JSON reply helper. */
export function json(status: number, body: unknown, headers?: Record<string, string>): FakeReply {
  return { status, body, ...(headers ? { headers } : {}) };
}
