import { ok, type Result } from '../../shared/errors/result.ts';
import { EMPTY_MAILBOX, foldExamine, parseFetchBody, parseFetchHeader, parseFetchMeta, type FetchedBody, type FetchedMeta, type MailboxState } from '../imap/fetch-parse.ts';
import { DEFAULT_STALL_MS, type ImapEndpoint } from '../imap/imap-endpoint.ts';
import { encodeMutf7 } from '../imap/mutf7.ts';
import { ImapPipeline } from '../imap/pipeline.ts';
import type { RawResponse } from '../imap/response-reader.ts';
import type { BodyGate } from './body-budget.ts';
import { openSession, type LoggedInSession } from '../imap/session.ts';
import { imapQuote } from '../imap/syntax.ts';

// Parsed messages held before the socket is paused: keeps memory flat on a fast source.
// Read-ahead when the caller names none.
const HIGH_WATER_BYTES = 2 * 1024 * 1024;

/**
 * A raw connection for reading: the source's body stream, `UID FETCH … (UID FLAGS INTERNALDATE
 * BODY.PEEK[])` parsed straight off the socket (imap/response-reader.ts), and pipelined bookkeeping
 * on either side (EXAMINE, STATUS, CREATE, UID lists). It costs a fraction of imapflow's tokenizer
 * per byte, and pauses the socket when the consumer falls behind. Everything else (LIST, the
 * listing's STATUS, reconciliation reads) stays on imapflow.
 */
export class FetchConnection {
  private readonly wire: ImapPipeline;
  /** What the server offers after login (e.g. DIGEST=SHA1 for content verification). */
  readonly capabilities: ReadonlySet<string>;
  // The mailbox the last SELECT/EXAMINE sent will leave open (null: none, or not known), and what
  // its answer said, kept current from EXISTS/EXPUNGE seen since; `open` reuses it.
  private sent: { readonly mailbox: string; readonly readWrite: boolean } | null = null;
  private selected: { readonly mailbox: string; state: MailboxState } | null = null;

  private constructor(session: LoggedInSession, stallMs: number) {
    this.capabilities = session.capabilities;
    this.wire = new ImapPipeline(session, { tagPrefix: 'F', stallMs, closedMessage: 'the source connection closed' });
  }

  /** Connects and logs in like the upload path (same TLS and authentication rules). */
  static async open(endpoint: ImapEndpoint): Promise<Result<FetchConnection>> {
    const s = await openSession(endpoint);
    return s.ok ? ok(new FetchConnection(s.value, endpoint.stallMs ?? DEFAULT_STALL_MS)) : s;
  }

  /** True while the socket is usable. */
  get alive(): boolean {
    return this.wire.alive;
  }

  /**
   * Opens a mailbox read-only (EXAMINE). The command is on the wire when this returns, so a FETCH
   * sent right after it is pipelined behind it (a failed EXAMINE leaves no mailbox selected, so
   * that FETCH then fails rather than reading another mailbox).
   */
  examine(mailbox: string, command: 'EXAMINE' | 'SELECT' = 'EXAMINE'): Promise<MailboxState> {
    return this.openBox(mailbox, command, '', () => undefined).then((r) => {
      if (r.status !== 'OK') throw Object.assign(new Error(`${command} ${mailbox}: ${r.text}`), { responseStatus: r.status, responseText: r.text });
      return r.state;
    });
  }

  /**
   * `EXAMINE mailbox (QRESYNC (…))` (RFC 7162 §3.2.5; QRESYNC enabled): the tagged status and every
   * untagged answer (the changes since the mark). The folder stays open for `open` to reuse.
   */
  async examineSince(mailbox: string, mark: { readonly uidValidity: number; readonly highestModseq: bigint }): Promise<{ status: string; text: string; responses: RawResponse[] }> {
    const responses: RawResponse[] = [];
    const r = await this.openBox(mailbox, 'EXAMINE', ` (QRESYNC (${mark.uidValidity} ${mark.highestModseq}))`, (u) => responses.push(u));
    return { status: r.status, text: r.text, responses };
  }

  /**
   * `EXAMINE mailbox (CONDSTORE)` (RFC 7162 §3.1.8): the tagged status and every untagged answer, which
   * carry HIGHESTMODSEQ (or NOMODSEQ). On the wire when this returns, so a FETCH … (CHANGEDSINCE …) can follow it.
   */
  examineCondstore(mailbox: string): Promise<{ status: string; text: string; responses: RawResponse[] }> {
    const responses: RawResponse[] = [];
    return this.openBox(mailbox, 'EXAMINE', ' (CONDSTORE)', (u) => responses.push(u)).then((r) => ({ status: r.status, text: r.text, responses }));
  }

  // SELECT/EXAMINE on the wire when this returns; the selection is remembered once answered OK.
  private openBox(mailbox: string, command: 'EXAMINE' | 'SELECT', params: string, onUntagged: (r: RawResponse) => void): Promise<{ status: string; text: string; state: MailboxState }> {
    let state = EMPTY_MAILBOX;
    const sent = { mailbox, readWrite: command === 'SELECT' };
    this.selected = null;
    const answered = this.run(`${command} ${imapQuote(encodeMutf7(mailbox))}${params}`, (u) => {
      // What came before `* OK [CLOSED]` described the folder open until then (RFC 7162 §3.2.11).
      state = /^\* OK \[CLOSED\]/i.test(u.text) ? EMPTY_MAILBOX : foldExamine(state, u.text);
      onUntagged(u);
    });
    this.sent = sent;
    return answered.then((r) => {
      if (r.status !== 'OK' && this.sent === sent) this.sent = null;
      if (r.status === 'OK' && this.sent === sent) this.selected = { mailbox, state };
      return { ...r, state };
    });
  }

  /**
   * Like `examine`, but when this connection already has `mailbox` open (read-write, or read-only
   * for an EXAMINE) it sends NOOP instead: on a Maildir server every fresh open of a folder that
   * changed re-reads its whole directory. NOOP also makes the session see what other connections
   * appended or expunged since (RFC 3501 §6.1.2); UIDVALIDITY cannot change while it is open.
   */
  async open(mailbox: string, command: 'EXAMINE' | 'SELECT' = 'EXAMINE'): Promise<MailboxState> {
    const open = this.selected;
    if (!open || open.mailbox !== mailbox || this.sent?.mailbox !== mailbox || (command === 'SELECT' && !this.sent.readWrite)) return this.examine(mailbox, command);
    const r = await this.run('NOOP', () => undefined);
    if (r.status !== 'OK' || this.selected !== open) return this.examine(mailbox, command);
    return open.state;
  }

  /** True when `open(mailbox)` would reuse this connection's open folder (a NOOP, which a server may run beside what follows it). */
  hasOpen(mailbox: string, command: 'EXAMINE' | 'SELECT' = 'EXAMINE'): boolean {
    return this.selected?.mailbox === mailbox && this.sent?.mailbox === mailbox && (command === 'EXAMINE' || this.sent.readWrite);
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

  /**
   * Streams the bodies of `uidSet` in the examined mailbox, in server order, reading at most about `readAhead` bytes ahead.
   * `contentOnly`: UID and BODY[] alone (a re-read to compare), no flags or internal date to fetch and parse.
   */
  async *bodies(uidSet: string, readAhead = HIGH_WATER_BYTES, contentOnly = false): AsyncGenerator<FetchedBody> {
    for await (const m of this.gatedBodies(uidSet, readAhead, null, contentOnly)) if (m) yield m;
  }

  /**
   * Like `bodies`, with every body parsed counted in the run's `gate` (body-budget.ts); each one yielded is then the
   * caller's to give back. Reading also waits while the gate is blocked, and then, with nothing queued, yields null
   * once: the caller should send what it holds rather than wait for more.
   */
  async *gatedBodies(uidSet: string, readAhead: number, gate: BodyGate | null, contentOnly = false): AsyncGenerator<FetchedBody | null> {
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
    const holdBack = (): boolean => queuedBytes > readAhead || gate?.blocked === true;
    const resumeIfRoom = (): void => {
      if (this.wire.paused && queuedBytes <= readAhead / 2 && gate?.blocked !== true) this.wire.resume();
    };
    const unsubscribe = gate?.onChange(resumeIfRoom);
    // Set when the stream is left: a body parsed after that is nobody's, and must not count against the budget.
    let closed = false;
    this.run(`UID FETCH ${uidSet} (UID ${contentOnly ? '' : 'FLAGS INTERNALDATE '}BODY.PEEK[])`, (u) => {
      if (closed) return;
      const m = parseFetchBody(u);
      if (!m) return;
      queue.push(m);
      queuedBytes += m.content.length;
      gate?.take(m.content.length);
      if (holdBack()) this.wire.pause();
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
    let handedOff = false;
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          queuedBytes -= next.content.length;
          resumeIfRoom();
          handedOff = false;
          yield next;
          continue;
        }
        if (error) throw error;
        if (done) {
          const r = done as { status: string; text: string };
          if (r.status !== 'OK') throw Object.assign(new Error(`UID FETCH: ${r.text}`), { responseStatus: r.status, responseText: r.text });
          return;
        }
        // Held by the budget with nothing queued: the caller sends what it holds, once per wait.
        if (gate?.blocked && this.wire.paused && !handedOff) {
          handedOff = true;
          yield null;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      closed = true;
      unsubscribe?.();
      gate?.release(queuedBytes);
      // Left early (pause, cancel, the caller's error): the rest of the FETCH is unread, so this connection is spent;
      // destroyed before anything could resume it, so no more of it is read.
      if (!done && !error) this.destroy();
      else if (this.wire.paused) this.wire.resume();
    }
  }

  /**
   * Hands each body of `uidSet` (UID and BODY[] alone) to `onBody` as it is parsed, and resolves at the
   * FETCH's end: for a consumer that keeps no body (the content check hashes each one), so nothing is
   * queued and no promise is taken per message, as `bodies` takes for a consumer that awaits between them.
   */
  async eachBody(uidSet: string, onBody: (m: FetchedBody) => void): Promise<void> {
    const r = await this.run(`UID FETCH ${uidSet} (UID BODY.PEEK[])`, (u) => {
      const m = parseFetchBody(u);
      if (m) onBody(m);
    });
    if (r.status !== 'OK') throw Object.assign(new Error(`UID FETCH: ${r.text}`), { responseStatus: r.status, responseText: r.text });
  }

  /** Sends LOGOUT and closes without waiting for the answer; never throws. */
  async close(): Promise<void> {
    if (!this.wire.alive) return;
    this.wire.logoutWithoutWaiting();
    await Promise.resolve();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.wire.destroy();
  }

  // The tagged answer's text keeps its response code ("[ALREADYEXISTS] …"): callers match on it.
  private run(text: string, onUntagged: (r: RawResponse) => void): Promise<{ status: string; text: string }> {
    // A mailbox opened or closed (examine sets its own selection after this) or deleted/renamed: not known any more.
    if (/^(SELECT|EXAMINE|CLOSE|UNSELECT|DELETE|RENAME)\b/i.test(text)) this.sent = this.selected = null;
    const track = (u: RawResponse): void => {
      if (this.selected) this.selected.state = followCount(this.selected.state, u.text);
      onUntagged(u);
    };
    return this.wire.send([Buffer.from(`${text}\r\n`)], track).then((r) => ({ status: r.status, text: r.code === null ? r.text : `[${r.code}] ${r.text}` }));
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
}

// Made once: every untagged response (each body's FETCH) is tried against them.
const EXISTS_RESPONSE = /^\* (\d+) EXISTS/i;
const EXPUNGE_RESPONSE = /^\* \d+ EXPUNGE/i;
const VANISHED_RESPONSE = /^\* VANISHED ([\d:,]+)\s*$/i;

// The message count of an open mailbox after an untagged EXISTS, EXPUNGE or VANISHED (not EARLIER).
function followCount(state: MailboxState, text: string): MailboxState {
  const exists = EXISTS_RESPONSE.exec(text);
  if (exists) return { ...state, exists: Number(exists[1]) };
  if (EXPUNGE_RESPONSE.test(text)) return { ...state, exists: Math.max(0, state.exists - 1) };
  const vanished = VANISHED_RESPONSE.exec(text);
  if (!vanished) return state;
  const gone = vanished[1]!.split(',').reduce((n, r) => {
    const [a, b] = r.split(':').map(Number);
    return n + (b === undefined ? 1 : Math.abs(b - a!) + 1);
  }, 0);
  return { ...state, exists: Math.max(0, state.exists - gone) };
}
