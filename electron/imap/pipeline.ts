import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parseTagged, ResponseReader, type RawResponse, type TaggedResponse } from './response-reader.ts';
import { listenBytes, resumedBytes } from './socket-feed.ts';
import type { LoggedInSession } from './session.ts';

/** Bytes to write, or the point where a synchronising literal waits for the server's "+" (RFC 3501 §7.5). */
export type Segment = Buffer | 'await-continuation';

/** How a pipeline behaves when the server goes quiet or away. */
export interface PipelineOptions {
  /** Letter before each command number ("F1", "F2"…). */
  readonly tagPrefix: string;
  /** Fail every waiting command (as a stall, see stallOf) when nothing moves for this long while one waits (and the socket is not paused by us). */
  readonly stallMs?: number;
  /** The error pending commands fail with when the connection closes without one of its own. */
  readonly closedMessage?: string;
}

interface Pending {
  /** The command's first line, for a stall report. */
  readonly text: string;
  readonly onUntagged: (r: RawResponse) => void;
  readonly resolve: (r: TaggedResponse) => void;
  readonly reject: (e: Error) => void;
}

// What a connection hands the socket beyond what it has sent: each write past it waits for `drain`. On a TLS
// socket whatever waits in the stream is encrypted at once when the socket takes it (a MULTIAPPEND batch of
// small segments, one writev, was ≈1.2 MB of ciphertext in one allocation), and one large write counts as no
// activity until it is done, so the stall timer would take a slow but moving upload for a stalled one.
const WRITE_SLICE = 256 * 1024;
const WRITE_BACKLOG = 256 * 1024;
// Smaller segments are corked and leave as one write of up to this many bytes: on TLS each write is a
// record of its own (encrypted, framed, sent), and a 50-message APPEND was 102 writes (RESULTS.md, session 15).
const CORK_BYTES = 256 * 1024;

/** What a stalled connection waited for ("the answer to F3 UID FETCH …"), or null when `error` is no stall. */
export function stallOf(error: unknown): string | null {
  const e = error as { stalled?: unknown } | null;
  return typeof e?.stalled === 'string' ? e.stalled : null;
}

/**
 * Commands pipelined on one logged-in connection: each is written as soon as the one before it is
 * on the wire (a synchronising literal waits for "+"), and answers are matched by tag. Untagged
 * data goes to the oldest command still waiting: servers answer in order. When the connection
 * fails, every waiting command is rejected with that failure.
 */
export class ImapPipeline {
  private readonly socket: Socket | TLSSocket;
  private readonly reader: ResponseReader;
  private readonly options: PipelineOptions;
  // Insertion order is send order: the first entry is the oldest command.
  private readonly pending = new Map<string, Pending>();
  private readonly queue: { readonly tag: string; readonly segments: Segment[] }[] = [];
  private writing = false;
  private continuation: ((go: boolean) => void) | null = null;
  // What the writer waits for, named in a stall report; null while it waits for nothing.
  private waitingFor: (() => string) | null = null;
  private seq = 0;
  private failure: Error | null = null;
  private bye = '';

  constructor(session: LoggedInSession, options: PipelineOptions) {
    this.socket = session.socket;
    this.options = options;
    this.reader = new ResponseReader((r) => this.onResponse(r));
    const socket = session.socket;
    listenBytes(socket, (chunk) => {
      try {
        this.reader.push(chunk);
      } catch (e) {
        // Thrown here it would reach Node's read callback as an uncaught exception and end the process.
        if ((e as { code?: unknown }).code !== 'EPROTO') throw e;
        this.fail(e as Error);
        socket.destroy();
      }
    });
    socket.on('error', (e: Error) => this.fail(e));
    socket.on('close', () => this.fail(Object.assign(new Error(options.closedMessage ?? 'connection closed'), { code: 'ECONNRESET' })));
    const stallMs = options.stallMs;
    if (stallMs !== undefined) {
      // A stalled server or a half-open connection must not hang the caller: nothing moved for this
      // long while a command waits (and the socket is not paused by us) fails it as a retryable
      // timeout that names what it waited for.
      socket.setTimeout(stallMs);
      socket.on('timeout', () => {
        if (this.pending.size === 0 || socket.isPaused()) return;
        const what = `nothing moved for ${stallMs / 1000} s while waiting for ${this.waitingFor?.() ?? this.awaitedAnswer()}`;
        this.fail(Object.assign(new Error(`stalled: ${what}`), { code: 'ETIMEDOUT', stalled: what }));
        socket.destroy();
      });
    }
    if (session.leftover.length > 0) this.reader.push(session.leftover);
  }

  /** True until the connection failed or was closed. */
  get alive(): boolean {
    return this.failure === null;
  }

  /** Commands sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** The server's BYE line, when it sent one. */
  get byeText(): string {
    return this.bye;
  }

  /**
   * Sends one command (its tag is put in front of the first segment) and resolves with its tagged
   * answer; `onUntagged` sees the untagged responses that arrive while it is the oldest waiting.
   */
  send(segments: Segment[], onUntagged: (r: RawResponse) => void = () => undefined): Promise<TaggedResponse> {
    if (this.failure) return Promise.reject(this.failure);
    const tag = `${this.options.tagPrefix}${++this.seq}`;
    const first = segments[0] as Buffer;
    const eol = first.indexOf('\r\n');
    const text = `${tag} ${first.toString('latin1', 0, eol < 0 ? first.length : eol)}`;
    const answer = new Promise<TaggedResponse>((resolve, reject) => this.pending.set(tag, { text, onUntagged, resolve, reject }));
    this.queue.push({ tag, segments: [Buffer.concat([Buffer.from(`${tag} `), segments[0] as Buffer]), ...segments.slice(1)] });
    void this.pump();
    return answer;
  }

  /** Stops reading (back-pressure); the stall timer does not count while paused. */
  pause(): void {
    this.socket.pause();
  }

  /** Reads again after pause(). */
  resume(): void {
    this.socket.resume();
    resumedBytes(this.socket);
    // Reading again starts the stall clock afresh: a timeout that came while paused was ignored, and
    // resuming is no socket activity, so a server silent from here on would never be noticed.
    if (this.options.stallMs !== undefined) this.socket.setTimeout(this.options.stallMs);
  }

  /** True while reading is paused. */
  get paused(): boolean {
    return this.socket.isPaused();
  }

  /**
   * Fails what still waits, sends LOGOUT with a half-close and does not wait for the server's BYE:
   * the connection no longer holds the process open (a no-change re-run would otherwise wait a round trip to exit).
   */
  logoutWithoutWaiting(): void {
    this.fail(Object.assign(new Error('the connection was closed'), { code: 'ECONNRESET' }));
    this.socket.end(`${this.options.tagPrefix}${++this.seq} LOGOUT\r\n`);
    this.socket.unref();
    this.socket.setTimeout(2_000, () => this.socket.destroy());
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private async pump(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    let corked = -1;
    // Sends what is corked; before any wait, so nothing written waits with it.
    const flush = (): void => {
      if (corked < 0) return;
      corked = -1;
      this.socket.uncork();
    };
    try {
      while (this.queue.length > 0 && !this.failure) {
        const cmd = this.queue.shift()!;
        for (const [i, seg] of cmd.segments.entries()) {
          if (seg === 'await-continuation') {
            flush();
            const size = (cmd.segments[i + 1] as Buffer).length;
            this.waitingFor = () => `the server's "+" to send the ${size}-byte literal of ${cmd.tag}`;
            if (!(await this.awaitContinuation(cmd.tag))) break;
          } else if (seg.length < CORK_BYTES) {
            if (corked < 0) {
              corked = 0;
              this.socket.cork();
            }
            this.socket.write(seg);
            corked += seg.length;
            if (corked < CORK_BYTES) continue;
            flush();
            await this.drainBacklog(() => `the server to take the literals of ${cmd.tag} (${this.socket.writableLength} bytes not yet sent)`);
          } else {
            flush();
            await this.write(seg, cmd.tag);
          }
        }
        this.waitingFor = null;
      }
    } finally {
      flush();
      this.writing = false;
    }
  }

  // A large segment goes in slices, each once the socket has sent most of what is queued.
  private async write(seg: Buffer, tag: string): Promise<void> {
    for (let at = 0; at < seg.length && !this.failure; at += WRITE_SLICE) {
      const end = Math.min(seg.length, at + WRITE_SLICE);
      this.socket.write(at === 0 && end === seg.length ? seg : seg.subarray(at, end));
      await this.drainBacklog(() => `the server to take the ${seg.length}-byte literal of ${tag} (${Math.max(0, end - this.socket.writableLength)} bytes of it sent)`);
    }
  }

  // Waits for `drain` while the socket holds more than WRITE_BACKLOG unsent bytes (or until it closes).
  private async drainBacklog(waitingFor: () => string): Promise<void> {
    if (this.socket.writableLength <= WRITE_BACKLOG || this.socket.destroyed) return;
    this.waitingFor = waitingFor;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done).off('close', done);
        resolve();
      };
      this.socket.on('drain', done).on('close', done);
    });
    this.waitingFor = null;
  }

  // The oldest command still waiting for its answer, and how much of a literal it still expects.
  private awaitedAnswer(): string {
    const oldest = this.pending.values().next().value;
    const left = this.reader.literalOutstanding;
    return `the answer to ${oldest?.text ?? 'a command'}${left === null ? '' : ` (in a literal, ${left} bytes still to come)`}`;
  }

  // Resolves true on "+", false if the command was answered (refused) or failed before the server asked for more.
  private awaitContinuation(tag: string): Promise<boolean> {
    return new Promise((resolve) => {
      const pending = this.pending.get(tag);
      if (!pending) return resolve(false);
      const go = (sent: boolean): void => {
        // The "+" came: the tagged answer goes straight to the caller again. Left wrapped, that
        // answer would clear the wait of the next command, whose "+" may be on its way already.
        if (this.pending.get(tag) === wrapped) this.pending.set(tag, pending);
        resolve(sent);
      };
      this.continuation = go;
      const settled = (): void => {
        // Only our own wait: another command's may be the one waiting by now.
        if (this.continuation === go) this.continuation = null;
        resolve(false);
      };
      const wrapped: Pending = {
        text: pending.text,
        onUntagged: pending.onUntagged,
        resolve: (r) => {
          pending.resolve(r);
          settled();
        },
        reject: (e) => {
          pending.reject(e);
          settled();
        },
      };
      this.pending.set(tag, wrapped);
    });
  }

  private onResponse(r: RawResponse): void {
    if (r.text.startsWith('+')) {
      const go = this.continuation;
      this.continuation = null;
      go?.(true);
      return;
    }
    if (r.text.startsWith('*')) {
      if (/^\* BYE/i.test(r.text)) this.bye = r.text;
      this.pending.values().next().value?.onUntagged(r);
      return;
    }
    const tagged = parseTagged(r.text);
    const pending = tagged ? this.pending.get(tagged.tag) : undefined;
    if (!tagged || !pending) return;
    this.pending.delete(tagged.tag);
    pending.resolve(tagged.response);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.queue.length = 0;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(error);
    const go = this.continuation;
    this.continuation = null;
    go?.(false);
  }
}
