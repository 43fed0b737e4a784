import { createHash } from 'node:crypto';
import type { RawResponse } from '../imap/response-reader.ts';
import { imapQuote } from '../imap/syntax.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { FolderStatus } from './folder-status.ts';
import { encodeMutf7 } from '../imap/mutf7.ts';
import type { ModseqMark } from './modseq-state.ts';
import { parseChanges, type FolderChanges } from './qresync-reader.ts';

// The no-change re-run without imapflow: a complete run records the hash of the source's raw LIST
// answer taken at its start (before its own listing, so a folder created meanwhile changes the
// next hash) together with the options that pick and map folders. When the next run sees the
// same hash and every folder's STATUS as that run left it, there is nothing to copy: it answers
// from the state store after one pipelined round trip per side.

/** What the source shows at the start of a run: the tree's fingerprint, its folder names as listed, and per folder asked its STATUS (null: refused). */
export interface SourceProbe {
  readonly fingerprint: string;
  readonly names: readonly string[];
  readonly status: ReadonlyMap<string, FolderStatus | null>;
  /** True when QRESYNC was enabled on the probe's connection. */
  readonly qresync: boolean;
  /** Folders read by a QRESYNC EXAMINE instead of STATUS: their changes since the mark asked. */
  readonly changes: ReadonlyMap<string, { readonly mark: ModseqMark; readonly changes: FolderChanges }>;
}

/**
 * Hashes the options that choose and map folders with the raw LIST lines (sorted, literals
 * inlined), without \Marked and \Unmarked: servers flip those as mail arrives or is read
 * (RFC 3501 §7.2.2), and new mail is what the per-folder STATUS is there to notice.
 */
export function treeFingerprint(optionsKey: string, list: readonly RawResponse[]): string {
  const lines = list
    .filter((r) => /^\* LIST /i.test(r.text))
    .map((r) => withoutMarks(r.text.replace(/\0(\d+)\0/g, (_, i: string) => `{${r.literals[Number(i)]?.toString('latin1') ?? ''}}`)))
    .sort();
  return createHash('sha256').update(JSON.stringify([optionsKey, lines])).digest('hex');
}

// "* LIST (flags) rest" with the flags sorted and \Marked / \Unmarked left out.
function withoutMarks(line: string): string {
  const m = /^\* LIST \(([^)]*)\)(.*)$/is.exec(line);
  if (!m) return line;
  const flags = m[1]!.split(' ').filter((f) => f && !/^\\(?:un)?marked$/i.test(f));
  return `* LIST (${flags.sort().join(' ')})${m[2]}`;
}

/** The mailbox names of raw LIST lines, as listed (modified UTF-7, unquoted). */
export function listedNames(list: readonly RawResponse[]): string[] {
  return list.filter((r) => /^\* LIST /i.test(r.text)).map((r) => lastMailbox(r, r.text));
}

// The mailbox that ends `text` (an atom, a quoted string or a literal placeholder), unquoted.
function lastMailbox(r: RawResponse, text: string): string {
  const literal = /\0(\d+)\0$/.exec(text);
  const quoted = /"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (literal) return r.literals[Number(literal[1])]?.toString('utf8') ?? '';
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  return text.slice(text.lastIndexOf(' ') + 1);
}

/** The mailbox an untagged STATUS answer is about (as the server wrote it, unquoted); null when it is not one. */
export function statusMailbox(r: RawResponse): string | null {
  if (!/^\* STATUS /i.test(r.text)) return null;
  return lastMailbox(r, r.text.slice(0, r.text.lastIndexOf('(')).trimEnd());
}

/** The counters of one untagged STATUS answer; null when it is not one. */
export function parseStatus(text: string): FolderStatus | null {
  if (!/^\* STATUS /i.test(text)) return null;
  // The item list is the last parenthesised group: a mailbox name may contain anything before it.
  const items = text.slice(text.lastIndexOf('('));
  const num = (name: string): number | undefined => {
    const m = new RegExp(`[( ]${name} (\\d+)`, 'i').exec(items);
    return m ? Number(m[1]) : undefined;
  };
  const modseq = /[( ]HIGHESTMODSEQ (\d+)/i.exec(items);
  return { messages: num('MESSAGES'), uidNext: num('UIDNEXT'), uidValidity: num('UIDVALIDITY'), ...(modseq ? { highestModseq: BigInt(modseq[1]!) } : {}) };
}

/**
 * Lists the source tree and asks STATUS of each folder, all pipelined: one round trip. A folder with
 * a CONDSTORE mark from its last pass is asked with `EXAMINE … (QRESYNC (mark))` instead when the
 * source offers QRESYNC: the answer has what STATUS would say (count, UIDNEXT, UIDVALIDITY,
 * HIGHESTMODSEQ) and the changes since the mark, so a delta opens the folder once, not after a STATUS
 * (on a Maildir that changed, each is a re-read of the whole folder). The EXAMINEs go last: a server
 * runs a command that changes the selected mailbox after the ones before it, so its untagged answers
 * cannot reach another command's collector. Without QRESYNC, marked folders' STATUS asks HIGHESTMODSEQ.
 * `examine`: the marked folders worth an EXAMINE, in the order to send them (the last stays open on the
 * connection, for a copy of its new mail to reuse); the others get STATUS with HIGHESTMODSEQ.
 */
export async function probeSource(conn: FetchConnection, optionsKey: string, folders: readonly string[], marks: ReadonlyMap<string, ModseqMark> = new Map(), examine: readonly string[] = [...marks.keys()]): Promise<SourceProbe> {
  const wanted = [...examine].filter((f) => marks.has(f) && folders.includes(f));
  const qresync = wanted.length > 0 && conn.capabilities.has('QRESYNC');
  const examined = qresync ? wanted : [];
  const asked = folders.filter((f) => !examined.includes(f));
  const items = (f: string): string => (marks.has(f) ? 'MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ' : 'MESSAGES UIDNEXT UIDVALIDITY');
  // Every answer is awaited together: a dropped connection rejects them all, and none may go unobserved.
  const [enabled, list, ...answers] = await Promise.all([
    qresync ? conn.collect('ENABLE QRESYNC') : null,
    conn.collect('LIST "" "*"'),
    ...asked.map((f) => conn.collect(statusCommand(f, items(f)))),
    ...examined.map((f) => conn.examineSince(f, marks.get(f)!)),
  ]);
  if (list!.status !== 'OK') throw Object.assign(new Error(`LIST: ${list!.text}`), { responseStatus: list!.status, responseText: list!.text });
  const statusAnswers = answers.slice(0, asked.length);
  // A server may run pipelined commands in parallel (Dovecot does), so an untagged answer can reach
  // another command's collector: every LIST and STATUS line is taken from all of them, by content.
  const all = [list!, ...statusAnswers].flatMap((a) => a!.responses);
  const status = statusByName(all);
  const byFolder = new Map<string, FolderStatus | null>(asked.map((f, i) => [f, statusAnswers[i]!.status === 'OK' ? (status.get(nameKey(encodeMutf7(f))) ?? null) : null]));
  // Enabled only when ENABLE answered OK and its untagged ENABLED named QRESYNC (RFC 5161, RFC 7162 errata 1365),
  // wherever that line was collected; an OK alone enables nothing.
  const enabledQresync = enabled?.status === 'OK' && [enabled, list!, ...answers].some((a) => a!.responses.some((r) => /^\* ENABLED\b.*\bQRESYNC\b/i.test(r.text)));
  const changes = new Map<string, { mark: ModseqMark; changes: FolderChanges }>();
  // A refused ENABLE makes every EXAMINE … (QRESYNC …) fail: those folders count as refused, and the run takes the full path.
  examined.forEach((f, i) => {
    const answer = answers[asked.length + i]!;
    const read = answer.status === 'OK' && enabledQresync ? parseChanges(answer.responses) : null;
    byFolder.set(f, read?.status ?? null);
    if (read) changes.set(f, { mark: marks.get(f)!, changes: read });
  });
  return { fingerprint: treeFingerprint(optionsKey, all), names: listedNames(all), status: new Map(folders.map((f) => [f, byFolder.get(f) ?? null])), qresync: enabledQresync, changes };
}

/** Message counts of target folders (STATUS, pipelined; null where refused). */
export async function targetCounts(conn: FetchConnection, paths: readonly string[]): Promise<Map<string, number | null>> {
  const answers = await Promise.all(paths.map((p) => conn.collect(statusCommand(p, 'MESSAGES'))));
  const status = statusByName(answers.flatMap((a) => a.responses));
  return new Map(paths.map((p, i) => [p, answers[i]!.status === 'OK' ? (status.get(nameKey(encodeMutf7(p)))?.messages ?? null) : null]));
}

function statusCommand(folder: string, items: string): string {
  return `STATUS ${imapQuote(encodeMutf7(folder))} (${items})`;
}

// STATUS answers by mailbox name (INBOX in any case is INBOX, RFC 3501 §5.1).
function statusByName(responses: readonly RawResponse[]): Map<string, FolderStatus> {
  const out = new Map<string, FolderStatus>();
  for (const r of responses) {
    const name = statusMailbox(r);
    const s = parseStatus(r.text);
    if (name !== null && s) out.set(nameKey(name), s);
  }
  return out;
}

function nameKey(name: string): string {
  return name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
}
