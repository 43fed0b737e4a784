import { createHash } from 'node:crypto';
import { imapQuote } from './append-connection.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { RawResponse } from './fetch-parse.ts';
import type { FolderStatus } from './folder-status.ts';
import { encodeMutf7 } from './mutf7.ts';

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
  const out: string[] = [];
  for (const r of list) {
    if (!/^\* LIST /i.test(r.text)) continue;
    const literal = /\0(\d+)\0$/.exec(r.text);
    const quoted = /"((?:[^"\\]|\\.)*)"$/.exec(r.text);
    if (literal) out.push(r.literals[Number(literal[1])]?.toString('utf8') ?? '');
    else if (quoted) out.push(quoted[1]!.replace(/\\(.)/g, '$1'));
    else out.push(r.text.slice(r.text.lastIndexOf(' ') + 1));
  }
  return out;
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
  return { messages: num('MESSAGES'), uidNext: num('UIDNEXT'), uidValidity: num('UIDVALIDITY') };
}

/** Lists the source tree and asks STATUS of each folder, all pipelined: one round trip. */
export async function probeSource(conn: FetchConnection, optionsKey: string, folders: readonly string[]): Promise<SourceProbe> {
  // Every answer is awaited together: a dropped connection rejects them all, and none may go unobserved.
  const [list, ...status] = await Promise.all([conn.collect('LIST "" "*"'), ...folders.map((f) => statusOf(conn, f, 'MESSAGES UIDNEXT UIDVALIDITY'))]);
  if (list.status !== 'OK') throw Object.assign(new Error(`LIST: ${list.text}`), { responseStatus: list.status, responseText: list.text });
  return { fingerprint: treeFingerprint(optionsKey, list.responses), names: listedNames(list.responses), status: new Map(folders.map((f, i) => [f, status[i] as FolderStatus | null])) };
}

/** Message counts of target folders (STATUS, pipelined; null where refused). */
export async function targetCounts(conn: FetchConnection, paths: readonly string[]): Promise<Map<string, number | null>> {
  const answers = await Promise.all(paths.map((p) => statusOf(conn, p, 'MESSAGES')));
  return new Map(paths.map((p, i) => [p, answers[i]?.messages ?? null]));
}

async function statusOf(conn: FetchConnection, folder: string, items: string): Promise<FolderStatus | null> {
  const r = await conn.collect(`STATUS ${imapQuote(encodeMutf7(folder))} (${items})`);
  if (r.status !== 'OK') return null;
  for (const u of r.responses) {
    const s = parseStatus(u.text);
    if (s) return s;
  }
  return null;
}
