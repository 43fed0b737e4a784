import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { checkPin } from '../../imap/certificate-pin.ts';
import { literalOf, parseResponse, quote, SieveProtocolError, type SieveResponse } from './managesieve-response.ts';

/** Where and how to reach a ManageSieve server (RFC 5804; port 4190 by default). */
export interface ManageSieveEndpoint {
  readonly host: string;
  readonly port: number;
  /** 'starttls' refuses a server that does not upgrade; 'none' only for this machine's loopback. */
  readonly security: 'starttls' | 'none';
  /** SHA-256 fingerprint trusted instead of a CA chain. */
  readonly pinnedFingerprint?: string;
  readonly timeoutMs?: number;
}

/** One script of the user, as LISTSCRIPTS names it. */
export interface SieveScriptEntry {
  readonly name: string;
  readonly active: boolean;
}

/** A logged-in ManageSieve session: the commands Mailroom uses, one at a time. */
export class ManageSieveSession {
  #socket: Socket | TLSSocket;
  #buffer = Buffer.alloc(0);
  #waiting: ((r: Result<SieveResponse>) => void) | null = null;
  #failure: Result<never> | null = null;
  readonly #where: string;

  private constructor(socket: Socket, where: string) {
    this.#where = where;
    this.#socket = socket;
    this.#attach(socket);
  }

  /** Connects, upgrades with STARTTLS (unless security is 'none') and logs in with SASL PLAIN. */
  static async open(endpoint: ManageSieveEndpoint, user: string, password: string, signal?: AbortSignal): Promise<Result<ManageSieveSession>> {
    const where = `ManageSieve at ${endpoint.host}:${endpoint.port}`;
    const socket = netConnect({ host: endpoint.host, port: endpoint.port });
    socket.setTimeout(endpoint.timeoutMs ?? 15_000);
    const session = new ManageSieveSession(socket, where);
    const onAbort = (): void => session.#fail(err('cancelled', 'Cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const opened = await session.#login(endpoint, user, password);
    signal?.removeEventListener('abort', onAbort);
    if (!opened.ok) session.#socket.destroy();
    return opened.ok ? ok(session) : opened;
  }

  async #login(endpoint: ManageSieveEndpoint, user: string, password: string): Promise<Result<void>> {
    let caps = await this.#read();
    if (!caps.ok) return caps;
    if (caps.value.status !== 'OK') return err('backend.unavailable', `${this.#where} refused the connection: ${caps.value.text || caps.value.status}.`, { retryable: true });
    if (endpoint.security === 'starttls') {
      if (capability(caps.value, 'STARTTLS') === null) return err('imap.tls', `${this.#where} offers no STARTTLS; Mailroom does not send a password in clear.`);
      const started = await this.#command('STARTTLS');
      if (!started.ok) return started;
      if (started.value.status !== 'OK') return err('imap.tls', `${this.#where} refused STARTTLS: ${started.value.text || started.value.status}.`);
      const upgraded = await this.#upgrade(endpoint);
      if (!upgraded.ok) return upgraded;
      // RFC 5804 §2.2: after the handshake the server sends its capabilities again; only these count.
      caps = await this.#read();
      if (!caps.ok) return caps;
    }
    const sasl = (capability(caps.value, 'SASL') ?? '').toUpperCase().split(/\s+/);
    if (!sasl.includes('PLAIN')) return err('backend.unsupported', `${this.#where} does not offer SASL PLAIN (it offers: ${sasl.filter(Boolean).join(', ') || 'nothing'}).`);
    const credentials = Buffer.from(`\0${user}\0${password}`, 'utf8').toString('base64');
    const auth = await this.#command(`AUTHENTICATE "PLAIN" ${quote(credentials)}`);
    if (!auth.ok) return auth;
    if (auth.value.status !== 'OK') return err('backend.auth', `${this.#where} refused the login of ${user}: ${oneLine(auth.value.text) || auth.value.status}.`);
    return ok(undefined);
  }

  /** The user's scripts and which one is active (at most one, RFC 5804 §2.7). */
  async listScripts(): Promise<Result<SieveScriptEntry[]>> {
    const r = await this.#expectOk('LISTSCRIPTS', 'list the scripts');
    if (!r.ok) return r;
    return ok(
      r.value.lines.flatMap((words) => {
        const [name, flag] = words;
        return name?.kind === 'string' ? [{ name: name.value, active: flag?.kind === 'atom' && flag.value.toUpperCase() === 'ACTIVE' }] : [];
      }),
    );
  }

  /** The text of one script. */
  async getScript(name: string): Promise<Result<string>> {
    const r = await this.#expectOk(`GETSCRIPT ${quote(name)}`, `read the script "${name}"`);
    if (!r.ok) return r;
    const text = r.value.lines[0]?.[0];
    return text?.kind === 'string' ? ok(text.value) : err('backend.validation', `${this.#where} answered GETSCRIPT "${name}" without the script.`);
  }

  /** Uploads (or replaces) a script; the server checks its syntax and refuses a broken one. */
  async putScript(name: string, script: string): Promise<Result<void>> {
    const r = await this.#expectOk(`PUTSCRIPT ${quote(name)} ${literalOf(script)}`, `store the script "${name}"`);
    return r.ok ? ok(undefined) : r;
  }

  /** Makes `name` the active script; an empty name deactivates every script. */
  async setActive(name: string): Promise<Result<void>> {
    const r = await this.#expectOk(`SETACTIVE ${quote(name)}`, `activate the script "${name}"`);
    return r.ok ? ok(undefined) : r;
  }

  /** Says LOGOUT and closes the socket. */
  async close(): Promise<void> {
    if (!this.#failure && !this.#socket.destroyed) await this.#command('LOGOUT');
    this.#socket.destroy();
  }

  async #expectOk(line: string, what: string): Promise<Result<SieveResponse>> {
    const r = await this.#command(line);
    if (!r.ok) return r;
    if (r.value.status === 'OK') return r;
    const code = r.value.code === 'NONEXISTENT' ? 'backend.notFound' : 'backend.validation';
    return err(code, `${this.#where} could not ${what}: ${oneLine(r.value.text) || r.value.status}.`);
  }

  #command(line: string): Promise<Result<SieveResponse>> {
    if (this.#failure) return Promise.resolve(this.#failure);
    this.#socket.write(`${line}\r\n`);
    return this.#read();
  }

  #read(): Promise<Result<SieveResponse>> {
    if (this.#failure) return Promise.resolve(this.#failure);
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.#drain();
    });
  }

  #drain(): void {
    if (!this.#waiting) return;
    let parsed: ReturnType<typeof parseResponse>;
    try {
      parsed = parseResponse(this.#buffer);
    } catch (error) {
      if (!(error instanceof SieveProtocolError)) throw error;
      this.#fail(err('backend.validation', `${this.#where} sent a response Mailroom cannot read (${error.message}).`));
      return;
    }
    if (!parsed) return;
    this.#buffer = this.#buffer.subarray(parsed.used);
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting(ok(parsed.response));
  }

  #attach(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#drain();
    });
    socket.on('timeout', () => this.#fail(err('backend.unavailable', `${this.#where} did not answer in time.`, { retryable: true })));
    socket.on('error', (error: NodeJS.ErrnoException) => this.#fail(classify(this.#where, error)));
    socket.on('close', () => this.#fail(err('backend.unavailable', `${this.#where} closed the connection.`, { retryable: true })));
  }

  #upgrade(endpoint: ManageSieveEndpoint): Promise<Result<void>> {
    const plain = this.#socket;
    plain.removeAllListeners('data').removeAllListeners('close').removeAllListeners('timeout').removeAllListeners('error');
    // The TLS socket reports failures of the socket under it; this listener only keeps an 'error' from being unhandled.
    plain.on('error', () => undefined);
    const pinned = endpoint.pinnedFingerprint;
    return new Promise((resolve) => {
      // SNI carries host names only (RFC 6066 §3); the certificate is still checked against an IP host.
      const secure = tlsConnect({ socket: plain, host: endpoint.host, ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }), rejectUnauthorized: !pinned });
      secure.setTimeout(endpoint.timeoutMs ?? 15_000);
      this.#socket = secure;
      this.#attach(secure);
      secure.once('secureConnect', () => {
        const mismatch = pinned ? checkPin(secure, pinned) : null;
        if (mismatch) {
          this.#fail(err('imap.tls', `${this.#where}: ${mismatch.message}`));
          secure.destroy();
        }
        resolve(this.#failure ?? ok(undefined));
      });
      secure.once('error', () => resolve(this.#failure ?? err('imap.tls', `${this.#where}: the TLS handshake failed.`)));
    });
  }

  #fail(failure: Result<never>): void {
    this.#failure ??= failure;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.(this.#failure);
  }
}

/** A server's message on one line, without its closing full stop (Pigeonhole ends multi-line errors with "."). */
function oneLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && l !== '.').join('; ').replace(/\.+$/, '');
}

/** The value of a capability line (`"SASL" "PLAIN LOGIN"`), '' for one without a value, null when absent. */
function capability(r: SieveResponse, name: string): string | null {
  const line = r.lines.find((words) => words[0]?.value.toUpperCase() === name);
  return line ? (line[1]?.value ?? '') : null;
}

function classify(where: string, error: NodeJS.ErrnoException): Result<never> {
  if (error.code === 'ECONNREFUSED') return err('backend.unavailable', `${where} refused the connection (is ManageSieve enabled on that port?).`, { retryable: true });
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return err('backend.unavailable', `${where}: the host name does not resolve.`, { retryable: true });
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(error.code ?? '')) return err('imap.tls', `${where}: the server's certificate is not trusted (${error.message}).`);
  return err('backend.unavailable', `${where}: ${error.message}.`, { retryable: true });
}
