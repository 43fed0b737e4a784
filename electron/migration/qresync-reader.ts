import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { encodeMutf7 } from '../imap/mutf7.ts';
import type { RawResponse } from '../imap/response-reader.ts';
import { imapQuote } from '../imap/syntax.ts';
import { FetchConnection } from './fetch-connection.ts';
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
}

/**
 * A source connection with QRESYNC enabled (RFC 7162 §3.2.3), apart from the body-stream
 * connections so their FETCH answers keep their shape. Each folder costs one EXAMINE … (QRESYNC
 * (uidvalidity modseq)): the server answers with the flags of what changed and the UIDs that
 * vanished, in O(changes). Folders are read one at a time on it; pause and cancel drop it.
 */
export class QresyncReader {
  private readonly endpoint: ImapEndpoint;
  private readonly take: () => FetchConnection | null;
  private conn: Promise<FetchConnection> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** `take`: a logged-in source connection the run no longer needs for bodies (no second login), or null. */
  constructor(endpoint: ImapEndpoint, signal: AbortSignal | undefined, take: () => FetchConnection | null = () => null) {
    this.endpoint = endpoint;
    this.take = take;
    signal?.addEventListener('abort', () => this.destroy(), { once: true });
  }

  /** The changes of `path` since `mark`, read after any other folder's on this connection. */
  changesSince(path: string, mark: ModseqMark): Promise<FolderChanges> {
    const next = this.queue.then(async () => readChanges(await this.connection(), path, mark));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Logs out if it was ever opened; never throws. */
  async close(): Promise<void> {
    const conn = await this.conn?.catch(() => null);
    await conn?.close();
  }

  private destroy(): void {
    void this.conn?.then((c) => c.destroy()).catch(() => undefined);
  }

  private connection(): Promise<FetchConnection> {
    if (!this.conn) {
      this.conn = openWithQresync(this.endpoint, this.take());
      this.conn.catch(() => (this.conn = null));
    }
    return this.conn;
  }
}

// QRESYNC enabled on the connection handed over, else on a new one: a taken connection may have a
// mailbox open, where RFC 5161 allows ENABLE only before one is (Dovecot takes it either way).
async function openWithQresync(endpoint: ImapEndpoint, taken: FetchConnection | null): Promise<FetchConnection> {
  if (taken && (await enableQresync(taken).catch(() => null))?.ok) return taken;
  await taken?.close();
  const opened = await FetchConnection.open(endpoint);
  if (!opened.ok) throw Object.assign(new Error(opened.error.message), { code: 'ECONNRESET' });
  const enabled = await enableQresync(opened.value);
  if (!enabled.ok) {
    opened.value.destroy();
    throw Object.assign(new Error(`the source did not enable QRESYNC: ${enabled.text}`), { responseStatus: enabled.status, responseText: enabled.text });
  }
  return opened.value;
}

async function enableQresync(conn: FetchConnection): Promise<{ ok: boolean; status: string; text: string }> {
  const enabled = await conn.collect('ENABLE QRESYNC');
  return { ok: enabled.status === 'OK' && enabled.responses.some((r) => /^\* ENABLED\b.*\bQRESYNC\b/i.test(r.text)), status: enabled.status, text: enabled.text };
}

async function readChanges(conn: FetchConnection, path: string, mark: ModseqMark): Promise<FolderChanges> {
  const answer = await conn.collect(`EXAMINE ${imapQuote(encodeMutf7(path))} (QRESYNC (${mark.uidValidity} ${mark.highestModseq}))`);
  if (answer.status !== 'OK') throw Object.assign(new Error(`EXAMINE ${path}: ${answer.text}`), { responseStatus: answer.status, responseText: answer.text });
  return parseChanges(answer.responses);
}

/** Folds the untagged answers of a QRESYNC EXAMINE into the folder's changes. */
export function parseChanges(responses: readonly RawResponse[]): FolderChanges {
  let uidValidity = 0;
  let modseqKept = true;
  const changed: { uid: number; flags: string[] }[] = [];
  const vanished: UidRange[] = [];
  for (const { text } of responses) {
    const code = /^\* OK \[(UIDVALIDITY|NOMODSEQ)\b ?(\d*)\]/i.exec(text);
    if (code) {
      if (code[1]!.toUpperCase() === 'NOMODSEQ') modseqKept = false;
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
  return { uidValidity, changed, vanished, modseqKept };
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
