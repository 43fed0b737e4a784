import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { appError, type AppError, err, ok, type Result } from '../../shared/errors/result.ts';
import { checkPin } from './certificate-pin.ts';
import { connectionLimitError, saysConnectionLimit } from './connection-limit.ts';
import type { ImapEndpoint } from './imap-endpoint.ts';
import { parseTagged, takeLine, type TaggedResponse } from './response-reader.ts';
import { listenBytes, SocketFeed, unlistenBytes } from './socket-feed.ts';

/** A logged-in socket, its capabilities after login, and anything read past the login response. */
export interface LoggedInSession {
  readonly socket: Socket | TLSSocket;
  readonly capabilities: Set<string>;
  readonly leftover: Buffer;
}

/**
 * Connects, negotiates TLS (implicit or STARTTLS; the pinned certificate or a CA-verified chain),
 * reads the greeting and capabilities and logs in (PLAIN or XOAUTH2). Expected failures come back
 * as imap.* errors; the logged-in socket is handed to an ImapPipeline (pipeline.ts).
 */
export async function openSession(endpoint: ImapEndpoint): Promise<Result<LoggedInSession>> {
  const where = `${endpoint.host}:${endpoint.port}`;
  let raw: LoginSession | null = null;
  try {
    raw = await LoginSession.connect(endpoint);
    const greeting = await raw.readUntagged();
    if (/^\* BYE/i.test(greeting) && saysConnectionLimit(greeting)) return { ok: false, error: connectionLimitError(where, greeting) };
    if (/^\* BYE/i.test(greeting)) return err('imap.connection', `${where}: the server closed the connection at greeting: ${greeting}`, { retryable: true });
    if (endpoint.tls === 'starttls') {
      const r = await raw.command('STARTTLS');
      if (r.status !== 'OK') return err('imap.tls', `${where}: STARTTLS was refused: ${r.text}`);
      await raw.upgrade(endpoint);
    }
    // Most servers list their capabilities in the greeting (RFC 3501 §7.1): one round trip fewer per connection.
    const greeted = /^\* OK \[CAPABILITY ([^\]]*)\]/i.exec(greeting);
    const caps = greeted && endpoint.tls !== 'starttls' ? new Set(greeted[1]!.toUpperCase().split(' ').filter(Boolean)) : await raw.capabilities();
    const login = await raw.authenticate(endpoint, caps);
    if (login.status !== 'OK') {
      raw.destroy();
      if (saysConnectionLimit(login.text) || saysConnectionLimit(raw.bye)) return { ok: false, error: connectionLimitError(where, saysConnectionLimit(login.text) ? login.text : raw.bye) };
      return err('imap.auth', `${where}: the server rejected the login for ${endpoint.user}.`, { detail: { response: login.text } });
    }
    const after = login.code?.startsWith('CAPABILITY ') ? new Set(login.code.slice(11).toUpperCase().split(' ')) : await raw.capabilities();
    const { socket, leftover } = raw.detach();
    return ok({ socket, capabilities: after, leftover });
  } catch (error) {
    raw?.destroy();
    // A server that says BYE to the login and closes: the BYE says why.
    if (saysConnectionLimit(raw?.bye)) return { ok: false, error: connectionLimitError(where, raw!.bye) };
    return { ok: false, error: classifySocketError(error, where) };
  }
}

function classifySocketError(error: unknown, where: string): AppError {
  const e = error as NodeJS.ErrnoException & { code?: string };
  const code = e?.code ?? '';
  if (code === 'CERT_PIN_MISMATCH' || /certificate|self[- ]signed|altname|CERT_/i.test(`${code} ${e?.message ?? ''}`)) {
    return appError('imap.tls', `${where}: the server's TLS certificate is not trusted (${code || e?.message}).`, { detail: { code } });
  }
  if (code === 'ETIMEDOUT' || code === 'TIMEOUT') return appError('imap.timeout', `${where}: the server did not answer in time.`, { retryable: true, detail: { code } });
  const reason = code === 'ECONNREFUSED' ? 'nothing is listening on that port' : code === 'ENOTFOUND' ? 'the host name does not resolve' : 'the connection dropped';
  return appError('imap.connection', `${where}: cannot reach the server (${reason}).`, { retryable: true, detail: { code: code || e?.message } });
}

/** The login phase: one command at a time, every read under the endpoint's timeout. */
class LoginSession {
  private socket: Socket | TLSSocket;
  private buffer: Buffer = Buffer.alloc(0);
  private lines: string[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private seq = 0;
  private readonly timeoutMs: number;
  /** The server's last untagged BYE, if any (the reason it closes). */
  bye = '';
  private readonly onData = (chunk: Buffer): void => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const line = takeLine(this.buffer);
      if (!line) break;
      this.buffer = this.buffer.subarray(line.consumed);
      if (/^\* BYE/i.test(line.text)) this.bye = line.text;
      this.lines.push(line.text);
    }
    this.notify();
  };
  private readonly onError = (error: Error): void => {
    this.failure = error;
    this.notify();
  };
  private readonly onClose = (): void => {
    this.failure ??= Object.assign(new Error('connection closed'), { code: 'ECONNRESET' });
    this.notify();
  };

  private constructor(socket: Socket | TLSSocket, timeoutMs: number) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    this.listen();
  }

  static connect(endpoint: ImapEndpoint): Promise<LoginSession> {
    return new Promise((resolve, reject) => {
      const timeoutMs = endpoint.timeoutMs ?? 15_000;
      // STARTTLS wraps the plain socket in TLS later, so only a socket that stays as it is reads into a feed.
      const feed = endpoint.tls === 'starttls' ? null : new SocketFeed();
      const opts = { host: endpoint.host, port: endpoint.port, ...(feed ? { onread: feed.onread } : {}) };
      const socket = endpoint.tls === 'implicit' ? tlsConnect({ ...opts, ...tlsOptions(endpoint) }) : netConnect(opts);
      feed?.attach(socket);
      // Pipelined commands are many small writes: with Nagle each one after the first waits for the
      // server's (possibly delayed) ACK, a round trip or 40 ms on a real network.
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.once(endpoint.tls === 'implicit' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        const pinErr = pinError(socket, endpoint);
        if (pinErr) {
          socket.destroy();
          return reject(pinErr);
        }
        socket.removeAllListeners('error');
        resolve(new LoginSession(socket, timeoutMs));
      });
    });
  }

  async upgrade(endpoint: ImapEndpoint): Promise<void> {
    this.unlisten();
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: this.socket as Socket, ...tlsOptions(endpoint) });
      // The STARTTLS handshake has the connect's deadline.
      const timer = setTimeout(() => {
        s.destroy();
        reject(Object.assign(new Error('TLS handshake timeout'), { code: 'ETIMEDOUT' }));
      }, this.timeoutMs);
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      s.once('secureConnect', () => {
        clearTimeout(timer);
        const pinErr = pinError(s, endpoint);
        if (pinErr) {
          s.destroy();
          return reject(pinErr);
        }
        s.removeAllListeners('error');
        resolve(s);
      });
    });
    this.socket = secure;
    this.buffer = Buffer.alloc(0);
    this.listen();
  }

  async readUntagged(): Promise<string> {
    return this.nextLine();
  }

  async command(text: string, onContinuation?: () => string): Promise<TaggedResponse & { untagged: string[] }> {
    const tag = `L${++this.seq}`;
    this.socket.write(`${tag} ${text}\r\n`);
    const untagged: string[] = [];
    for (;;) {
      const line = await this.nextLine();
      if (line.startsWith('+')) {
        // A second "+" after the SASL response is an error challenge; answer with an empty line.
        this.socket.write(`${onContinuation ? onContinuation() : ''}\r\n`);
        onContinuation = undefined;
        continue;
      }
      const tagged = parseTagged(line);
      if (tagged && tagged.tag === tag) return { ...tagged.response, untagged };
      untagged.push(line);
    }
  }

  async capabilities(): Promise<Set<string>> {
    const r = await this.command('CAPABILITY');
    const line = r.untagged.find((l) => /^\* CAPABILITY /i.test(l)) ?? '';
    return new Set(line.slice('* CAPABILITY '.length).toUpperCase().split(' ').filter(Boolean));
  }

  async authenticate(endpoint: ImapEndpoint, caps: Set<string>): Promise<TaggedResponse> {
    const auth = endpoint.auth;
    if ('accessToken' in auth) {
      const token = Buffer.from(`user=${endpoint.user}\x01auth=Bearer ${auth.accessToken}\x01\x01`).toString('base64');
      return caps.has('SASL-IR') ? this.command(`AUTHENTICATE XOAUTH2 ${token}`) : this.command('AUTHENTICATE XOAUTH2', () => token);
    }
    const plain = Buffer.from(`\0${endpoint.user}\0${auth.password}`).toString('base64');
    if (caps.has('AUTH=PLAIN') || !caps.has('LOGINDISABLED')) {
      return caps.has('SASL-IR') ? this.command(`AUTHENTICATE PLAIN ${plain}`) : this.command('AUTHENTICATE PLAIN', () => plain);
    }
    return { status: 'NO', code: null, text: 'no usable login mechanism' };
  }

  detach(): { socket: Socket | TLSSocket; leftover: Buffer } {
    this.unlisten();
    return { socket: this.socket, leftover: this.buffer };
  }

  destroy(): void {
    this.socket.destroy();
  }

  private listen(): void {
    listenBytes(this.socket, this.onData);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
  }

  private unlisten(): void {
    unlistenBytes(this.socket, this.onData);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async nextLine(): Promise<string> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }
}

function tlsOptions(endpoint: ImapEndpoint): ConnectionOptions {
  const servername = endpoint.servername ?? (/^[\d.:]+$/.test(endpoint.host) ? undefined : endpoint.host);
  return {
    ...(servername ? { servername } : {}),
    ...(endpoint.pinnedFingerprint ? { rejectUnauthorized: false } : { rejectUnauthorized: true }),
    ...(endpoint.ca && !endpoint.pinnedFingerprint ? { ca: endpoint.ca } : {}),
  };
}

// The pin is checked once per TLS handshake, before anything (a password) is sent; a plain socket has no certificate.
function pinError(socket: Socket | TLSSocket, endpoint: ImapEndpoint): Error | null {
  if (!endpoint.pinnedFingerprint || typeof (socket as TLSSocket).getPeerCertificate !== 'function') return null;
  return checkPin(socket as TLSSocket, endpoint.pinnedFingerprint);
}
