import type { RawResponse } from '../imap/response-reader.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { FolderStatus } from './folder-status.ts';
import type { ModseqMark } from './modseq-state.ts';

/** A closed UID range [first, last]. */
export type UidRange = readonly [number, number];

/** What changed in a source folder since a mark, as one QRESYNC EXAMINE reports it (RFC 7162 §3.2.5). */
export interface FolderChanges {
  /** The folder's UIDVALIDITY now; when it differs from the mark's, nothing else here applies. */
  readonly uidValidity: number;
  /** Messages whose flags or keywords changed (or that arrived) since the mark, with their flags now. */
  readonly changed: readonly { readonly uid: number; readonly flags: readonly string[] }[];
  /** UIDs expunged since the mark (the server may name UIDs that never existed, never ones that do). */
  readonly vanished: readonly UidRange[];
  /** False when the server keeps no mod-sequences for this folder ([NOMODSEQ]). */
  readonly modseqKept: boolean;
  /** The folder's count, UIDNEXT, UIDVALIDITY and HIGHESTMODSEQ as the EXAMINE reported them: what STATUS would say. */
  readonly status: FolderStatus;
}

/** Where the reader gets a source connection: the run's pool, lent for one read at a time. */
export interface SourceLender {
  borrow(): Promise<FetchConnection>;
  giveBack(f: FetchConnection): void;
}

/** A lender that also opens a connection for the caller to keep, within the source's cap (null when there is no room). */
export interface SpareLender extends SourceLender {
  spare(): Promise<FetchConnection | null>;
}

/** Reads a folder's changes since a mark with CONDSTORE on a connection the caller holds (condstore-reader.ts). */
export type CondstoreRead = (conn: FetchConnection, path: string, mark: ModseqMark) => Promise<FolderChanges>;

/**
 * Reads source folders' changes since their marks with QRESYNC enabled (RFC 7162 §3.2.3), on a
 * connection borrowed from the run's pool for each read (the quiet check's, when it is idle: the
 * same session opens the folder again cheaply). Each folder costs one EXAMINE … (QRESYNC
 * (uidvalidity modseq)): the server answers with the flags of what changed and the UIDs that
 * vanished, in O(changes). A connection with QRESYNC enabled still serves body streams: FETCH
 * answers only gain a MODSEQ item, and expunges come as VANISHED, which the count follows.
 * Every connection it reads on is the pool's, so the source's cap counts it (connection-cap.ts).
 */
export class QresyncReader {
  private readonly lender: SpareLender;
  private readonly condstore: CondstoreRead;
  private readonly enabled = new WeakSet<FetchConnection>();
  private readonly preRead: Map<string, { readonly mark: ModseqMark; readonly changes: FolderChanges }>;
  // A pool connection kept for the reader, QRESYNC enabled, once a borrowed one refused ENABLE (see read).
  private own: FetchConnection | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `condstore`: how a folder is read where ENABLE was refused and the source has no room for a connection of the reader's own.
   * `enabled`: pooled connections that already have QRESYNC enabled (the quiet check's).
   * `preRead`: changes the quiet check already read (quiet-check.ts), each with the mark it was asked from.
   */
  constructor(
    lender: SpareLender,
    condstore: CondstoreRead,
    enabled: Iterable<FetchConnection> = [],
    preRead: ReadonlyMap<string, { readonly mark: ModseqMark; readonly changes: FolderChanges }> = new Map(),
  ) {
    this.lender = lender;
    this.condstore = condstore;
    for (const c of enabled) this.enabled.add(c);
    this.preRead = new Map(preRead);
  }

  /**
   * The changes of `path` since `mark` up to HIGHESTMODSEQ `upTo` (the mark the caller saves next), read
   * after any other folder's; the quiet check's answer when it covers exactly that.
   */
  changesSince(path: string, mark: ModseqMark, upTo: bigint | undefined): Promise<FolderChanges> {
    const ready = this.preRead.get(path);
    this.preRead.delete(path);
    const modseq = ready?.changes.status.highestModseq;
    if (ready && upTo !== undefined && modseq !== undefined && BigInt(modseq) === BigInt(upTo) && sameMark(ready.mark, mark)) return Promise.resolve(ready.changes);
    const next = this.queue.then(() => this.read(path, mark));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Nothing of its own to close: every connection it reads on is the pool's, closed with the pool. */
  async close(): Promise<void> {}

  private async read(path: string, mark: ModseqMark): Promise<FolderChanges> {
    if (this.own?.alive) return readChanges(this.own, path, mark);
    const conn = await this.lender.borrow();
    try {
      if (this.enabled.has(conn)) return await readChanges(conn, path, mark);
      if ((await enableQresync(conn)).ok) {
        this.enabled.add(conn);
        return await readChanges(conn, path, mark);
      }
      // RFC 5161 allows ENABLE only before a mailbox is selected (Dovecot takes it either way). On a
      // stricter server: a fresh connection of the reader's own while the source's cap has room (the
      // run can do without it), else this folder's changes by CONDSTORE on the borrowed one.
      const own = await this.ownConnection();
      return await (own ? readChanges(own, path, mark) : this.condstore(conn, path, mark));
    } finally {
      this.lender.giveBack(conn);
    }
  }

  // A fresh pool connection with QRESYNC enabled, kept by the reader; null when the source has no room.
  private async ownConnection(): Promise<FetchConnection | null> {
    const fresh = await this.lender.spare();
    if (!fresh) return null;
    if (!(await enableQresync(fresh).catch(() => ({ ok: false }))).ok) {
      this.lender.giveBack(fresh);
      return null;
    }
    this.enabled.add(fresh);
    return (this.own = fresh);
  }
}

async function enableQresync(conn: FetchConnection): Promise<{ ok: boolean; status: string; text: string }> {
  const enabled = await conn.collect('ENABLE QRESYNC');
  return { ok: enabled.status === 'OK' && enabled.responses.some((r) => /^\* ENABLED\b.*\bQRESYNC\b/i.test(r.text)), status: enabled.status, text: enabled.text };
}

function sameMark(a: ModseqMark, b: ModseqMark): boolean {
  return a.uidValidity === b.uidValidity && a.highestModseq === b.highestModseq;
}

async function readChanges(conn: FetchConnection, path: string, mark: ModseqMark): Promise<FolderChanges> {
  const answer = await conn.examineSince(path, mark);
  if (answer.status !== 'OK') throw Object.assign(new Error(`EXAMINE ${path}: ${answer.text}`), { responseStatus: answer.status, responseText: answer.text });
  return parseChanges(answer.responses);
}

/** Folds the untagged answers of a QRESYNC EXAMINE into the folder's changes. */
export function parseChanges(responses: readonly RawResponse[]): FolderChanges {
  let uidValidity = 0;
  let modseqKept = true;
  const status: { messages?: number; uidNext?: number; highestModseq?: bigint } = {};
  const changed: { uid: number; flags: string[] }[] = [];
  const vanished: UidRange[] = [];
  // Answers before `* OK [CLOSED]` belong to the folder the connection had open until then (RFC 7162 §3.2.11).
  const closedAt = responses.findLastIndex((r) => /^\* OK \[CLOSED\]/i.test(r.text));
  for (const { text } of responses.slice(closedAt + 1)) {
    const code = /^\* OK \[(UIDVALIDITY|NOMODSEQ|UIDNEXT|HIGHESTMODSEQ)\b ?(\d*)\]/i.exec(text);
    const exists = /^\* (\d+) EXISTS/i.exec(text);
    if (exists) status.messages = Number(exists[1]);
    if (code) {
      const name = code[1]!.toUpperCase();
      if (name === 'NOMODSEQ') modseqKept = false;
      else if (name === 'UIDNEXT') status.uidNext = Number(code[2]);
      else if (name === 'HIGHESTMODSEQ') status.highestModseq = BigInt(code[2]!);
      else uidValidity = Number(code[2]);
      continue;
    }
    const gone = /^\* VANISHED (?:\(EARLIER\) )?([\d:,]+)$/i.exec(text);
    if (gone) {
      vanished.push(...parseUidRanges(gone[1]!));
      continue;
    }
    if (!/^\* \d+ FETCH \(/i.test(text)) continue;
    const uid = /[( ]UID (\d+)/i.exec(text);
    const flags = /[( ]FLAGS \(([^)]*)\)/i.exec(text);
    if (uid && flags) changed.push({ uid: Number(uid[1]), flags: flags[1]!.split(' ').filter(Boolean) });
  }
  return { uidValidity, changed, vanished, modseqKept, status: { ...status, uidValidity } };
}

/** The ranges of a sequence set of UIDs ("1:3,7,9:12"), each ordered low to high. */
export function parseUidRanges(set: string): UidRange[] {
  return set
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const [a, b] = part.split(':').map(Number) as [number, number | undefined];
      const hi = b ?? a;
      return [Math.min(a, hi), Math.max(a, hi)] as const;
    });
}
