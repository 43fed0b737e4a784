import { appError, type AppError, ok, type Result } from '../../shared/errors/result.ts';
import { DEFAULT_STALL_MS, type ImapEndpoint } from '../imap/imap-endpoint.ts';
import { encodeMutf7 } from '../imap/mutf7.ts';
import { ImapPipeline, stallOf, type Segment } from '../imap/pipeline.ts';
import type { TaggedResponse } from '../imap/response-reader.ts';
import { openSession, type LoggedInSession } from '../imap/session.ts';
import { expandUidSet, imapDateTime, imapQuote } from '../imap/syntax.ts';

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

// A command's answer, or the connection dropping before it came (`stalled`: dropped because nothing moved for the stall time).
type Answer = TaggedResponse | { readonly status: 'DROPPED'; readonly code: null; readonly text: string; readonly stalled?: boolean };

// Above this size a literal is sent synchronising even with LITERAL+, so a server that refuses the
// message can say so before we push megabytes at it.
const SYNC_LITERAL_ABOVE = 4 * 1024 * 1024;

/**
 * An upload connection: it pipelines APPEND and MULTIAPPEND (RFC 3502) commands with
 * non-synchronising literals (RFC 7888 LITERAL+) and reads APPENDUID (RFC 4315). imapflow sends
 * one command at a time and waits for "+" on every literal over 4 KB, which caps a connection at a
 * few hundred messages per second. Login and the wire are the shared ones of electron/imap/.
 */
export class AppendConnection {
  readonly capabilities: Set<string>;
  private readonly wire: ImapPipeline;
  // The mailbox this connection last asked to SELECT (null: none, or the SELECT was refused).
  private selected: string | null = null;

  private constructor(session: LoggedInSession, stallMs: number) {
    this.capabilities = session.capabilities;
    // A stalled target or a half-open connection must not hang the copy: its commands are answered
    // DROPPED (their messages are uncertain; the copier re-checks them against the target).
    this.wire = new ImapPipeline(session, { tagPrefix: 'M', stallMs });
  }

  /** Connects, negotiates TLS and logs in; expected failures come back as imap.* errors. */
  static async open(endpoint: ImapEndpoint): Promise<Result<AppendConnection>> {
    const session = await openSession(endpoint);
    return session.ok ? ok(new AppendConnection(session.value, endpoint.stallMs ?? DEFAULT_STALL_MS)) : session;
  }

  /** True when the server takes several messages in one APPEND (RFC 3502). */
  get multiAppend(): boolean {
    return this.capabilities.has('MULTIAPPEND');
  }

  /** True while the socket is usable. */
  get alive(): boolean {
    return this.wire.alive;
  }

  /** Number of commands sent and not yet answered. */
  get inFlight(): number {
    return this.wire.inFlight;
  }

  /**
   * Appends the items to `mailbox` (a Unicode name) in one MULTIAPPEND command when the server
   * offers it, else in one command per item; resolves once the server answered every command.
   * The command is written at once (pipelined) unless a synchronising literal is needed.
   */
  async append(mailbox: string, items: readonly AppendItem[]): Promise<AppendOutcome[]> {
    if (items.length === 0) return [];
    this.select(mailbox);
    const groups = this.multiAppend ? [items] : items.map((i) => [i]);
    const answers = groups.map((group) => this.send(this.appendSegments(mailbox, group)));
    const results = await Promise.all(answers);
    return results.map(toOutcome);
  }

  /** Sends LOGOUT and closes; never throws. */
  async close(): Promise<void> {
    if (!this.wire.alive) return;
    const bye = this.send([Buffer.from('LOGOUT\r\n')]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([bye, new Promise((r) => (timer = setTimeout(r, 500)))]);
    clearTimeout(timer);
    this.wire.destroy();
  }

  /** Drops the connection at once (tests, cancellation). */
  destroy(): void {
    this.wire.destroy();
  }

  // Dovecot opens a mailbox that is not selected afresh for every APPEND, reading its whole UID
  // list and index (O(folder) per command): 2,000 messages into a 100,000-message Maildir folder took
  // 86 s so, 6.6 s with the folder selected on the same connection (bench/migrate/RESULTS.md). So the
  // connection SELECTs the folder it appends to, pipelined ahead of the APPEND; the APPEND names its
  // mailbox itself, so a refused SELECT (a folder still to be created) changes nothing but speed.
  private select(mailbox: string): void {
    if (this.selected === mailbox) return;
    this.selected = mailbox;
    void this.send([Buffer.from(`SELECT ${imapQuote(encodeMutf7(mailbox))}\r\n`)]).then((r) => {
      if (r.status !== 'OK' && this.selected === mailbox) this.selected = null;
    });
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

  // A dropped connection is an answer too: the batch is uncertain and the copier re-checks it.
  private send(segments: Segment[]): Promise<Answer> {
    if (!this.wire.alive) return Promise.resolve({ status: 'DROPPED', code: null, text: 'connection closed' });
    return this.wire.send(segments).catch((e: unknown) => {
      const stall = stallOf(e);
      return stall ? { status: 'DROPPED', code: null, text: stall, stalled: true } : { status: 'DROPPED', code: null, text: this.wire.byeText || 'connection closed' };
    });
  }
}

function toOutcome(r: Answer): AppendOutcome {
  if (r.status === 'OK') {
    const m = /^APPENDUID (\d+) ([\d:,]+)$/i.exec(r.code ?? '');
    return { ok: true, uidValidity: m ? Number(m[1]) : null, uids: m ? expandUidSet(m[2]!) : null };
  }
  const code = r.code?.split(' ')[0]?.toUpperCase() ?? null;
  const dropped = r.status === 'DROPPED';
  return { ok: false, dropped, responseCode: code, error: classifyAppendRefusal(r, code) };
}

/** The delay a throttling answer asks for ("Suggested Backoff Time: 150 milliseconds", as Microsoft 365 words it), or null. */
export function backoffMsOf(text: string): number | null {
  const backoff = /backoff time[:\s]+(\d+)/i.exec(text);
  return backoff ? Number(backoff[1]) : null;
}

/** Maps a refused APPEND to an AppError: size, quota, throttling, missing folder, or protocol. */
export function classifyAppendRefusal(r: { status: string; text: string; stalled?: boolean }, code: string | null): AppError {
  const detail = { status: r.status, code, response: r.text };
  if (r.stalled) return appError('imap.timeout', `The target stalled during APPEND: ${r.text}`, { retryable: true, detail: { ...detail, stalled: true } });
  if (r.status === 'DROPPED') return appError('imap.connection', `The connection dropped during APPEND: ${r.text}`, { retryable: true, detail });
  const backoff = backoffMsOf(r.text);
  if (backoff !== null || code === 'THROTTLED' || code === 'UNAVAILABLE' || /throttl/i.test(r.text)) {
    return appError('imap.throttled', `The target is throttling uploads: ${r.text}`, {
      retryable: true,
      retryAfterMs: backoff ?? 5_000,
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
