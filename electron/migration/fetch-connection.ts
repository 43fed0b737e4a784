import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Result } from '../../shared/errors/result.ts';
import { imapQuote, openSession } from './append-connection.ts';
import type { ImapEndpoint } from './endpoint.ts';
import { encodeMutf7 } from './mutf7.ts';
import { EMPTY_MAILBOX, foldExamine, parseFetchBody, parseFetchHeader, parseFetchMeta, type FetchedBody, type FetchedMeta, type MailboxState, type RawResponse } from './fetch-parse.ts';

interface Command {
  readonly tag: string;
  readonly onUntagged: (r: RawResponse) => void;
  readonly resolve: (r: { status: string; text: string }) => void;
  readonly reject: (e: Error) => void;
}

// Parsed messages held before the socket is paused: keeps memory flat on a fast source.
const HIGH_WATER_BYTES = 2 * 1024 * 1024;
const STALL_MS = 120_000;

/**
 * A read-only source connection for the body stream: `UID FETCH … (UID FLAGS INTERNALDATE
 * BODY.PEEK[])` parsed straight off the socket, each literal copied once into its own Buffer. It
 * costs a fraction of imapflow's tokenizer per byte, and pauses the socket when the consumer falls
 * behind. Everything else on the source (LIST, STATUS, metadata) stays on imapflow.
 */
export class FetchConnection {
  private readonly socket: Socket | TLSSocket;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private scan = 0;
  private textParts: string[] = [];
  private literals: Buffer[] = [];
  private literalLeft = -1;
  // Commands sent and not yet answered, oldest first: the server answers in order, untagged data belongs to the oldest.
  private readonly commands: Command[] = [];
  private seq = 0;
  private closed = false;
  private failure: Error | null = null;

  private constructor(socket: Socket | TLSSocket, leftover: Buffer) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: Error) => this.fail(e));
    socket.on('close', () => this.fail(Object.assign(new Error('the source connection closed'), { code: 'ECONNRESET' })));
    // A stalled server or a half-open connection must not hang the run: no byte for this long while
    // a command waits (and the socket is not paused by us) fails it as a retryable timeout.
    socket.setTimeout(STALL_MS);
    socket.on('timeout', () => {
      if (this.commands.length === 0 || socket.isPaused()) return;
      this.fail(Object.assign(new Error(`the server sent nothing for ${STALL_MS / 1000} s`), { code: 'ETIMEDOUT' }));
      socket.destroy();
    });
    if (leftover.length > 0) this.onData(leftover);
  }

  /** Connects and logs in like the upload path (same TLS and authentication rules). */
  static async open(endpoint: ImapEndpoint): Promise<Result<FetchConnection>> {
    const s = await openSession(endpoint);
    return s.ok ? { ok: true, value: new FetchConnection(s.value.socket, s.value.leftover) } : s;
  }

  /** True while the socket is usable. */
  get alive(): boolean {
    return !this.closed;
  }

  /**
   * Opens a mailbox read-only (EXAMINE). The command is on the wire when this returns, so a FETCH
   * sent right after it is pipelined behind it (a failed EXAMINE leaves no mailbox selected, so
   * that FETCH then fails rather than reading another mailbox).
   */
  examine(mailbox: string, command: 'EXAMINE' | 'SELECT' = 'EXAMINE'): Promise<MailboxState> {
    let state = EMPTY_MAILBOX;
    return this.run(`${command} ${imapQuote(encodeMutf7(mailbox))}`, (u) => (state = foldExamine(state, u.text))).then((r) => {
      if (r.status !== 'OK') throw Object.assign(new Error(`${command} ${mailbox}: ${r.text}`), { responseStatus: r.status, responseText: r.text });
      return state;
    });
  }

  /**
   * Opens every mailbox in turn, pipelined (one round trip); one that cannot be opened maps to null.
   * SELECT when the PERMANENTFLAGS matter: on EXAMINE a server may list none (read-only).
   */
  async examineMany(mailboxes: readonly string[], command: 'EXAMINE' | 'SELECT' = 'EXAMINE'): Promise<Map<string, MailboxState | null>> {
    const answers = await Promise.all(mailboxes.map((m) => this.examine(m, command).catch((e: { responseStatus?: string }) => (e.responseStatus ? null : Promise.reject(e)))));
    return new Map(mailboxes.map((m, i) => [m, answers[i]!]));
  }

  /**
   * UID, RFC822.SIZE, INTERNALDATE and FLAGS of `uidSet` in the examined mailbox, with the
   * Message-ID header block when `messageId` is set. Sent at once (pipelined behind an EXAMINE).
   */
  meta(uidSet: string, messageId: boolean): Promise<FetchedMeta[]> {
    const out: FetchedMeta[] = [];
    const items = `UID RFC822.SIZE INTERNALDATE FLAGS${messageId ? ' BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]' : ''}`;
    return this.run(`UID FETCH ${uidSet} (${items})`, (u) => {
      const m = parseFetchMeta(u);
      if (m) out.push(m);
    }).then((r) => {
      if (r.status !== 'OK') throw Object.assign(new Error(`UID FETCH: ${r.text}`), { responseStatus: r.status, responseText: r.text });
      return out;
    });
  }

  /** The whole header section of `uidSet`, by UID. */
  async headers(uidSet: string): Promise<Map<number, Buffer>> {
    const out = new Map<number, Buffer>();
    const r = await this.run(`UID FETCH ${uidSet} (UID BODY.PEEK[HEADER])`, (u) => {
      const m = parseFetchHeader(u);
      if (m) out.set(m.uid, m.header);
    });
    if (r.status !== 'OK') throw Object.assign(new Error(`UID FETCH: ${r.text}`), { responseStatus: r.status, responseText: r.text });
    return out;
  }

  /** Streams the bodies of `uidSet` in the examined mailbox, in server order. */
  async *bodies(uidSet: string): AsyncGenerator<FetchedBody> {
    const queue: FetchedBody[] = [];
    let queuedBytes = 0;
    let done: { status: string; text: string } | null = null;
    let error: Error | null = null;
    let wake: (() => void) | null = null;
    const notify = (): void => {
      const w = wake;
      wake = null;
      w?.();
    };
    this.run(`UID FETCH ${uidSet} (UID FLAGS INTERNALDATE BODY.PEEK[])`, (u) => {
      const m = parseFetchBody(u);
      if (!m) return;
      queue.push(m);
      queuedBytes += m.content.length;
      if (queuedBytes > HIGH_WATER_BYTES) this.socket.pause();
      notify();
    }).then(
      (r) => {
        done = r;
        notify();
      },
      (e: Error) => {
        error = e;
        notify();
      },
    );
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          queuedBytes -= next.content.length;
          if (queuedBytes <= HIGH_WATER_BYTES / 2 && this.socket.isPaused()) this.socket.resume();
          yield next;
          continue;
        }
        if (error) throw error;
        if (done) {
          const r = done as { status: string; text: string };
          if (r.status !== 'OK') throw Object.assign(new Error(`UID FETCH: ${r.text}`), { responseStatus: r.status, responseText: r.text });
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      if (this.socket.isPaused()) this.socket.resume();
      // Left early (pause, cancel): the rest of the FETCH is unread, so this connection is spent.
      if (!done && !error) this.destroy();
    }
  }

  /** Sends LOGOUT and closes; never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    // LOGOUT and a half-close, without waiting for the server's BYE: the connection no longer
    // holds the process open (a no-change re-run would otherwise wait a round trip to exit).
    this.fail(Object.assign(new Error('the connection was closed'), { code: 'ECONNRESET' }));
    this.socket.end(`F${++this.seq} LOGOUT\r\n`);
    this.socket.unref();
    this.socket.setTimeout(2_000, () => this.socket.destroy());
    await Promise.resolve();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private run(text: string, onUntagged: (r: RawResponse) => void): Promise<{ status: string; text: string }> {
    if (this.closed) return Promise.reject(this.failure ?? new Error('closed'));
    const tag = `F${++this.seq}`;
    return new Promise((resolve, reject) => {
      this.commands.push({ tag, onUntagged, resolve, reject });
      this.socket.write(`${tag} ${text}\r\n`);
    });
  }

  /**
   * UIDVALIDITY and every UID of each mailbox, pipelined (EXAMINE + UID SEARCH ALL per mailbox, all
   * sent at once): one round trip for a whole mailbox tree. A mailbox that cannot be opened maps to null.
   */
  async listUids(mailboxes: readonly string[]): Promise<Map<string, { uidValidity: number; uids: number[] } | null>> {
    const out = new Map<string, { uidValidity: number; uids: number[] } | null>();
    await Promise.all(
      mailboxes.map(async (name) => {
        const uids: number[] = [];
        const opened = this.examine(name).catch(() => null);
        const searched = this.run('UID SEARCH ALL', (u) => {
          if (/^\* SEARCH\b/i.test(u.text)) for (const n of u.text.slice(8).trim().split(' ')) if (n) uids.push(Number(n));
        });
        const [a, b] = await Promise.all([opened, searched]);
        out.set(name, a && b.status === 'OK' ? { uidValidity: a.uidValidity, uids } : null);
      }),
    );
    return out;
  }

  /** Sends one simple command (pipelined like any other) and collects its untagged responses. */
  async collect(command: string): Promise<{ status: string; text: string; responses: RawResponse[] }> {
    const responses: RawResponse[] = [];
    const r = await this.run(command, (u) => responses.push(u));
    return { ...r, responses };
  }

  /** Sends simple commands (no literals) pipelined; resolves with each tagged status in order. */
  async pipeline(commands: readonly string[]): Promise<{ status: string; text: string }[]> {
    return Promise.all(commands.map((c) => this.run(c, () => undefined)));
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = error;
    for (const c of this.commands.splice(0)) c.reject(error);
  }

  // Splits the stream into responses: text up to CRLF; a line ending in {N} is followed by N literal bytes.
  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.literalLeft >= 0) {
        if (this.buffered < this.literalLeft) return;
        this.literals.push(this.take(this.literalLeft));
        this.textParts.push(`\0${this.literals.length - 1}\0`);
        this.literalLeft = -1;
        continue;
      }
      const line = this.takeLine();
      if (line === null) return;
      const lit = /\{(\d+)\}$/.exec(line);
      if (lit) {
        this.textParts.push(line.slice(0, lit.index));
        this.literalLeft = Number(lit[1]);
        continue;
      }
      this.textParts.push(line);
      const response: RawResponse = { text: this.textParts.join(''), literals: this.literals };
      this.textParts = [];
      this.literals = [];
      this.onResponse(response);
    }
  }

  private onResponse(r: RawResponse): void {
    const c = this.commands[0];
    if (!c) return;
    if (r.text.startsWith(`${c.tag} `)) {
      this.commands.shift();
      const m = /^\S+ (OK|NO|BAD) ?(.*)$/i.exec(r.text);
      c.resolve({ status: (m?.[1] ?? 'BAD').toUpperCase(), text: m?.[2] ?? r.text });
    } else if (r.text.startsWith('*')) c.onUntagged(r);
  }

  // Removes and returns the first n buffered bytes as one Buffer (copied once when it spans chunks).
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first && first.length >= n) {
      const out = Buffer.from(first.subarray(0, n));
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.scan = 0;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - at);
      c.copy(out, at, 0, k);
      at += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.scan = 0;
    return out;
  }

  // A line (without CRLF) once a LF is buffered, else null.
  private takeLine(): string | null {
    // Lines are short; join the chunks only when the LF is not in the first one.
    for (;;) {
      const first = this.chunks[0];
      if (!first) return null;
      const nl = first.indexOf(10, this.scan);
      if (nl >= 0) {
        const text = first.toString('latin1', 0, nl > 0 && first[nl - 1] === 13 ? nl - 1 : nl);
        this.buffered -= nl + 1;
        if (nl + 1 === first.length) this.chunks.shift();
        else this.chunks[0] = first.subarray(nl + 1);
        this.scan = 0;
        return text;
      }
      if (this.chunks.length === 1) {
        this.scan = first.length;
        return null;
      }
      this.chunks.splice(0, 2, Buffer.concat([first, this.chunks[1]!]));
    }
  }
}
