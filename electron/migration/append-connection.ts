import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { appError, type AppError, err, ok, type Result } from '../../shared/errors/result.ts';
import { normalizeFingerprint } from '../backends/imap/pinned-transport.ts';
import { encodeMutf7 } from './mutf7.ts';
import type { ImapEndpoint } from './endpoint.ts';

/** One message to upload: exact bytes, flags already filtered for the target, and its internal date. */
export interface AppendItem {
  readonly content: Buffer;
  readonly flags: readonly string[];
  readonly internalDate: Date;
}

/** What the server said about one APPEND / MULTIAPPEND command. */
export type AppendOutcome =
  | { readonly ok: true; readonly uidValidity: number | null; readonly uids: readonly number[] | null }
  | { readonly ok: false; readonly dropped: boolean; readonly error: AppError; readonly responseCode: string | null };

interface Pending {
  readonly tag: string;
  readonly resolve: (r: TaggedResponse) => void;
}

interface TaggedResponse {
  readonly status: 'OK' | 'NO' | 'BAD' | 'DROPPED';
  readonly code: string | null;
  readonly text: string;
}

// A segment is bytes to write, or a point where a synchronising literal waits for "+" (RFC 3501 §7.5).
type Segment = Buffer | 'await-continuation';

interface QueuedCommand {
  readonly tag: string;
  readonly segments: Segment[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Above this size a literal is sent synchronising even with LITERAL+, so a server that refuses the
// message can say so before we push megabytes at it.
const SYNC_LITERAL_ABOVE = 4 * 1024 * 1024;

/** Formats an IMAP date-time (RFC 3501 §9 date-time) in UTC. */
export function imapDateTime(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `"${p(date.getUTCDate())}-${MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000"`;
}

/** Quotes a string as an IMAP quoted string (only for 7-bit text without CR/LF). */
export function imapQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Expands an RFC 4315 uid-set such as "5:7,9" into [5, 6, 7, 9]. */
export function expandUidSet(set: string): number[] {
  const out: number[] = [];
  for (const part of set.split(',')) {
    const [a, b] = part.split(':');
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    const step = to >= from ? 1 : -1;
    for (let u = from; step > 0 ? u <= to : u >= to; u += step) out.push(u);
  }
  return out;
}

/**
 * A minimal IMAP connection used only for uploads: it pipelines APPEND and MULTIAPPEND (RFC 3502)
 * commands with non-synchronising literals (RFC 7888 LITERAL+) and reads APPENDUID (RFC 4315).
 * imapflow sends one command at a time and waits for "+" on every literal over 4 KB, which caps a
 * connection at a few hundred messages per second; everything else still goes through imapflow.
 *
 * The file runs past 400 lines on purpose: the login phase (TLS, STARTTLS, pinning, XOAUTH2) and
 * the upload pipeline share one response parser and one error classification, and the raw
 * fetch connection reuses the login phase from here.
 */
export class AppendConnection {
  readonly capabilities: Set<string>;
  private readonly socket: Socket | TLSSocket;
  private readonly pending = new Map<string, Pending>();
  private readonly queue: QueuedCommand[] = [];
  private writing = false;
  private continuationWaiter: (() => void) | null = null;
  private tagSeq = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private closed = false;
  private byeText = '';

  private constructor(socket: Socket | TLSSocket, capabilities: Set<string>) {
    this.socket = socket;
    this.capabilities = capabilities;
  }

  /** Connects, negotiates TLS and logs in; expected failures come back as imap.* errors. */
  static async open(endpoint: ImapEndpoint): Promise<Result<AppendConnection>> {
    const session = await openSession(endpoint);
    return session.ok ? ok(AppendConnection.fromSocket(session.value.socket, session.value.capabilities, session.value.leftover)) : session;
  }

  /** True when the server takes several messages in one APPEND (RFC 3502). */
  get multiAppend(): boolean {
    return this.capabilities.has('MULTIAPPEND');
  }

  /** True while the socket is usable. */
  get alive(): boolean {
    return !this.closed;
  }

  /** Number of commands sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Appends the items to `mailbox` (a Unicode name) in one MULTIAPPEND command when the server
   * offers it, else in one command per item; resolves once the server answered every command.
   * The command is written at once (pipelined) unless a synchronising literal is needed.
   */
  async append(mailbox: string, items: readonly AppendItem[]): Promise<AppendOutcome[]> {
    if (items.length === 0) return [];
    const groups = this.multiAppend ? [items] : items.map((i) => [i]);
    const answers = groups.map((group) => this.send(this.appendSegments(mailbox, group)));
    const results = await Promise.all(answers);
    return results.map(toOutcome);
  }

  /** Sends LOGOUT and closes; never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    const bye = this.send([Buffer.from('LOGOUT\r\n')]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([bye, new Promise((r) => (timer = setTimeout(r, 500)))]);
    clearTimeout(timer);
    this.socket.destroy();
  }

  /** Drops the connection at once (tests, cancellation). */
  destroy(): void {
    this.socket.destroy();
  }

  private appendSegments(mailbox: string, items: readonly AppendItem[]): Segment[] {
    const literalPlus = this.capabilities.has('LITERAL+');
    const binary = this.capabilities.has('BINARY');
    const segments: Segment[] = [Buffer.from(`APPEND ${imapQuote(encodeMutf7(mailbox))}`)];
    for (const item of items) {
      // NUL bytes are only legal in a literal8 (RFC 3516), which needs BINARY.
      const eight = binary && item.content.includes(0) ? '~' : '';
      const sync = !literalPlus || item.content.length > SYNC_LITERAL_ABOVE;
      segments.push(Buffer.from(` (${item.flags.join(' ')}) ${imapDateTime(item.internalDate)} ${eight}{${item.content.length}${sync ? '' : '+'}}\r\n`));
      if (sync) segments.push('await-continuation');
      segments.push(item.content);
    }
    segments.push(Buffer.from('\r\n'));
    return segments;
  }

  private send(segments: Segment[]): Promise<TaggedResponse> {
    if (this.closed) return Promise.resolve({ status: 'DROPPED', code: null, text: 'connection closed' });
    const tag = `M${++this.tagSeq}`;
    const first = segments[0] as Buffer;
    segments[0] = Buffer.concat([Buffer.from(`${tag} `), first]);
    const answer = new Promise<TaggedResponse>((resolve) => this.pending.set(tag, { tag, resolve }));
    this.queue.push({ tag, segments });
    void this.pump();
    return answer;
  }

  private async pump(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const cmd = this.queue.shift()!;
        for (const seg of cmd.segments) {
          if (seg === 'await-continuation') {
            const go = await this.awaitContinuation(cmd.tag);
            if (!go) break;
          } else {
            this.socket.write(seg);
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }

  // Resolves true on "+", false if the command was answered (refused) before the server asked for more.
  private awaitContinuation(tag: string): Promise<boolean> {
    return new Promise((resolve) => {
      const pending = this.pending.get(tag);
      if (!pending) return resolve(false);
      this.continuationWaiter = () => resolve(true);
      this.pending.set(tag, {
        tag,
        resolve: (r) => {
          this.continuationWaiter = null;
          pending.resolve(r);
          resolve(false);
        },
      });
    });
  }

  /** Wires socket events; called once the login finished. */
  private attach(): void {
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const line = takeLine(this.buffer);
      if (!line) return;
      this.buffer = this.buffer.subarray(line.consumed);
      this.onLine(line.text);
    }
  }

  private onLine(line: string): void {
    if (line.startsWith('+')) {
      const waiter = this.continuationWaiter;
      this.continuationWaiter = null;
      waiter?.();
      return;
    }
    if (line.startsWith('*')) {
      if (/^\* BYE/i.test(line)) this.byeText = line;
      return;
    }
    const tagged = parseTagged(line);
    if (!tagged) return;
    const pending = this.pending.get(tagged.tag);
    if (!pending) return;
    this.pending.delete(tagged.tag);
    pending.resolve(tagged.response);
  }

  private onClose(): void {
    this.closed = true;
    const waiter = this.continuationWaiter;
    this.continuationWaiter = null;
    waiter?.();
    for (const p of this.pending.values()) p.resolve({ status: 'DROPPED', code: null, text: this.byeText || 'connection closed' });
    this.pending.clear();
    this.queue.length = 0;
  }

  /** Wraps a logged-in socket; `leftover` is anything read past the login response. */
  static fromSocket(socket: Socket | TLSSocket, caps: Set<string>, leftover: Buffer): AppendConnection {
    const c = new AppendConnection(socket, caps);
    c.buffer = leftover;
    c.attach();
    return c;
  }
}

/** A logged-in socket, its capabilities after login, and anything read past the login response. */
export interface LoggedInSession {
  readonly socket: Socket | TLSSocket;
  readonly capabilities: Set<string>;
  readonly leftover: Buffer;
}

/** Connects, negotiates TLS (implicit or STARTTLS, pinned or CA-verified) and logs in (PLAIN or XOAUTH2). */
export async function openSession(endpoint: ImapEndpoint): Promise<Result<LoggedInSession>> {
  const where = `${endpoint.host}:${endpoint.port}`;
  let raw: RawSession | null = null;
  try {
    raw = await RawSession.connect(endpoint);
    const greeting = await raw.readUntagged();
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
      return err('imap.auth', `${where}: the server rejected the login for ${endpoint.user}.`, { detail: { response: login.text } });
    }
    const after = login.code?.startsWith('CAPABILITY ') ? new Set(login.code.slice(11).toUpperCase().split(' ')) : await raw.capabilities();
    const { socket, leftover } = raw.detach();
    return ok({ socket, capabilities: after, leftover });
  } catch (error) {
    raw?.destroy();
    return { ok: false, error: classifySocketError(error, where) };
  }
}

function toOutcome(r: TaggedResponse): AppendOutcome {
  if (r.status === 'OK') {
    const m = /^APPENDUID (\d+) ([\d:,]+)$/i.exec(r.code ?? '');
    return { ok: true, uidValidity: m ? Number(m[1]) : null, uids: m ? expandUidSet(m[2]!) : null };
  }
  const code = r.code?.split(' ')[0]?.toUpperCase() ?? null;
  const dropped = r.status === 'DROPPED';
  return { ok: false, dropped, responseCode: code, error: classifyAppendRefusal(r, code) };
}

/** Maps a refused APPEND to an AppError: size, quota, throttling, missing folder, or protocol. */
export function classifyAppendRefusal(r: { status: string; text: string }, code: string | null): AppError {
  const detail = { status: r.status, code, response: r.text };
  if (r.status === 'DROPPED') return appError('imap.connection', `The connection dropped during APPEND: ${r.text}`, { retryable: true, detail });
  const backoff = /backoff time[:\s]+(\d+)/i.exec(r.text);
  if (backoff || code === 'THROTTLED' || code === 'UNAVAILABLE' || /throttl/i.test(r.text)) {
    return appError('imap.throttled', `The target is throttling uploads: ${r.text}`, {
      retryable: true,
      retryAfterMs: backoff ? Number(backoff[1]) : 5_000,
      detail,
    });
  }
  if (code === 'TOOBIG' || code === 'LIMIT' || /too (big|large)|size/i.test(r.text)) {
    // Dovecot's per-message size quota answers LIMIT; other limits read the same, so the server's words are kept.
    return appError('imap.tooLarge', `The target refused the message (over its size or another limit): ${r.text}`, { detail });
  }
  if (code === 'OVERQUOTA' || /quota/i.test(r.text)) return appError('imap.tooLarge', `The target mailbox is over quota: ${r.text}`, { detail });
  return appError('imap.protocol', `The target answered ${r.status} to APPEND: ${r.text}`, { detail });
}

function parseTagged(line: string): { tag: string; response: TaggedResponse } | null {
  const m = /^(\S+) (OK|NO|BAD)(?: \[([^\]]*)\])? ?(.*)$/i.exec(line);
  if (!m) return null;
  return { tag: m[1]!, response: { status: m[2]!.toUpperCase() as 'OK' | 'NO' | 'BAD', code: m[3] ?? null, text: m[4] ?? '' } };
}

// Returns one complete response line (literals inlined as "<literal>"), or null when more data is needed.
function takeLine(buffer: Buffer): { text: string; consumed: number } | null {
  let offset = 0;
  let text = '';
  for (;;) {
    const nl = buffer.indexOf(10, offset);
    if (nl < 0) return null;
    const part = buffer.toString('latin1', offset, nl > 0 && buffer[nl - 1] === 13 ? nl - 1 : nl);
    const lit = /\{(\d+)\+?\}$/.exec(part);
    if (!lit) return { text: text + part, consumed: nl + 1 };
    const size = Number(lit[1]);
    if (buffer.length < nl + 1 + size) return null;
    text += part + '<literal>';
    offset = nl + 1 + size;
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

class PinMismatch extends Error {
  readonly code = 'CERT_PIN_MISMATCH';
}

/** Login-phase session: one command at a time, then handed to AppendConnection. */
class RawSession {
  private socket: Socket | TLSSocket;
  private buffer: Buffer = Buffer.alloc(0);
  private lines: string[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private seq = 0;
  private readonly timeoutMs: number;
  private readonly onData = (chunk: Buffer): void => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const line = takeLine(this.buffer);
      if (!line) break;
      this.buffer = this.buffer.subarray(line.consumed);
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

  static connect(endpoint: ImapEndpoint): Promise<RawSession> {
    return new Promise((resolve, reject) => {
      const timeoutMs = endpoint.timeoutMs ?? 15_000;
      const opts = { host: endpoint.host, port: endpoint.port };
      const socket =
        endpoint.tls === 'implicit' ? tlsConnect({ ...opts, ...tlsOptions(endpoint) }) : netConnect(opts);
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
        const pinErr = checkPin(socket as TLSSocket, endpoint);
        if (pinErr) {
          socket.destroy();
          return reject(pinErr);
        }
        socket.removeAllListeners('error');
        resolve(new RawSession(socket, timeoutMs));
      });
    });
  }

  async upgrade(endpoint: ImapEndpoint): Promise<void> {
    this.unlisten();
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: this.socket as Socket, ...tlsOptions(endpoint) });
      s.once('error', reject);
      s.once('secureConnect', () => {
        const pinErr = checkPin(s, endpoint);
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
    this.socket.on('data', this.onData);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
  }

  private unlisten(): void {
    this.socket.off('data', this.onData);
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

function checkPin(socket: TLSSocket, endpoint: ImapEndpoint): Error | null {
  if (!endpoint.pinnedFingerprint || typeof socket.getPeerCertificate !== 'function') return null;
  const actual = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
  if (actual === normalizeFingerprint(endpoint.pinnedFingerprint)) return null;
  return new PinMismatch(`The server presented certificate ${actual}, not the pinned one.`);
}
