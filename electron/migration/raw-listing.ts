import { parseListLine, parseNamespaceLine, parseStatusLine, type ListLine, type NamespaceEntry } from '../imap/list-parse.ts';
import { decodeMutf7 } from '../imap/mutf7.ts';
import type { RawResponse } from '../imap/response-reader.ts';
import { compareNames, imapQuote } from '../imap/syntax.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { FolderStatus } from './folder-status.ts';
import { namespaceKind, namespacesOf } from './namespace-filter.ts';

// The folder listing on a raw session (instead of an imapflow login of its own): NAMESPACE and
// LIST "" "*" RETURN (SPECIAL-USE CHILDREN SUBSCRIBED STATUS (…)) pipelined, one round trip where the
// server offers LIST-STATUS (RFC 5819), else LIST then every folder's STATUS, pipelined. The folders
// come out as imapflow's list() gave them to the engine: Unicode paths, INBOX upper-case, \NonExistent
// implying \Noselect, the special-use attribute resolved as imapflow resolves it (one folder per use;
// a server attribute first, then a known localized name, among the personal namespace's folders only),
// and only the personal namespace's folders when it has a prefix (as imapflow, which lists with that
// prefix as the reference) unless shared folders are asked for: then every other users' and shared
// namespace the server announces is listed too, each by its own prefix (Cyrus's "user.", Dovecot's "shared/").

/** A listed folder: what the engine reads of imapflow's ListResponse. */
export interface ListedFolder {
  /** Unicode path, INBOX in upper case. */
  readonly path: string;
  /** The name as the server wrote it (modified UTF-7). */
  readonly pathAsListed: string;
  readonly delimiter: string | null;
  readonly flags: ReadonlySet<string>;
  readonly specialUse?: string | undefined;
  /** From RETURN (SUBSCRIBED) where the server offers LIST-EXTENDED; unknown (undefined) otherwise: no LSUB is sent. */
  readonly subscribed?: boolean | undefined;
  /** The STATUS items asked; undefined when the folder cannot hold messages or the server refused STATUS. */
  readonly status?: FolderStatus | undefined;
}

/** The namespaces as imapflow keeps them: personal first (never empty), false where none. */
export interface Namespaces {
  readonly personal: readonly NamespaceEntry[];
  readonly other: readonly NamespaceEntry[] | false;
  readonly shared: readonly NamespaceEntry[] | false;
}

/** One side's listing. */
export interface FolderListing {
  readonly folders: ListedFolder[];
  readonly namespaces: Namespaces;
  /** The personal namespace (its prefix strips from source paths and starts target ones). */
  readonly namespace: NamespaceEntry;
  /** Every name the server listed, as listed, in every namespace: `folders` may hold only some of them. */
  readonly listedNames?: readonly string[];
}

/** STATUS items a listing may ask (RFC 3501 §6.3.10, RFC 7162 HIGHESTMODSEQ). */
export type StatusItem = 'MESSAGES' | 'UIDNEXT' | 'UIDVALIDITY' | 'HIGHESTMODSEQ';

/**
 * Lists every folder of the session's personal namespace with the STATUS `items` of each selectable
 * one; `shared`: those of its other users' and shared namespaces too (RFC 2342), one more round trip
 * for the LIST of each prefix. `unselect`: first leave any open mailbox, for counts after other sessions appended: Dovecot
 * answers STATUS for the session's selected mailbox from that session's own, possibly older view.
 * Without UNSELECT a NOOP only syncs that view (CLOSE is not sent: on a read-write mailbox it expunges). (At the start of a run the folder the quiet check
 * left open stays open, for the copy to reuse.)
 */
export async function listFolders(conn: FetchConnection, items: readonly StatusItem[], unselect = false, shared = false): Promise<FolderListing> {
  const caps = conn.capabilities;
  // Its answer is awaited with the rest (an untagged answer may reach its collector); a BAD (nothing open) is fine.
  const leaving = !unselect ? null : caps.has('UNSELECT') ? conn.collect('UNSELECT') : await conn.collect('NOOP');
  const extended = caps.has('LIST-EXTENDED');
  const listStatus = caps.has('LIST-STATUS') && items.length > 0;
  const options = [...(caps.has('SPECIAL-USE') ? ['SPECIAL-USE'] : []), ...(extended || caps.has('CHILDREN') ? ['CHILDREN'] : []), ...(extended ? ['SUBSCRIBED'] : []), ...(listStatus ? [`STATUS (${items.join(' ')})`] : [])];
  // With RETURN options a server reports only what was asked (Dovecot drops the special-use
  // attributes otherwise), so SPECIAL-USE and CHILDREN ride along; a server that advertises LIST-EXTENDED needs no LSUB.
  const returning = extended || listStatus ? ` RETURN (${options.join(' ')})` : '';
  const [left, ns, first] = await Promise.all([leaving, conn.collect(caps.has('NAMESPACE') ? 'NAMESPACE' : 'LIST "" ""'), conn.collect(`LIST "" "*"${returning}`)]);
  // A server that advertises the options but refuses them (BAD) is asked plainly; its counts come from STATUS.
  const list = first.status === 'BAD' && returning ? await conn.collect('LIST "" "*"') : first;
  if (list.status !== 'OK') throw Object.assign(new Error(`LIST: ${list.text}`), { responseStatus: list.status, responseText: list.text });
  // Dovecot runs pipelined commands in parallel, so an answer may reach another command's collector: all are read by content.
  const responses = [...(left?.responses ?? []), ...ns.responses, ...first.responses, ...(list === first ? [] : list.responses)];
  const namespaces = namespacesFrom(responses, caps.has('NAMESPACE'));
  const namespace = namespaces.personal[0]!;
  const kinds = namespacesOf(namespaces);
  const asked = shared ? [...kinds.other, ...kinds.shared] : [];
  if (asked.length > 0) responses.push(...(await listNamespaces(conn, asked, list === first ? returning : '')));
  // Once per name: a LIST refused with BAD may still have sent lines before the plain one's.
  const lines = oncePerName(responses.map(parseListLine).filter((l): l is ListLine => l !== null && (caps.has('NAMESPACE') || l.name !== '')));
  const personal = (f: ListedFolder): boolean => inPersonal(f, namespace.prefix) && namespaceKind(f.path, kinds) === 'personal';
  const folders = lines.map((l) => folderOf(l)).filter((f) => inPersonal(f, namespace.prefix) || (shared && namespaceKind(f.path, kinds) !== 'personal'));
  let status = statusByName(responses);
  // No answer carried a STATUS (no LIST-STATUS, or the server ignored the option): each folder is asked, pipelined.
  if (status.size === 0 && items.length > 0) status = await askStatus(conn, folders, items);
  const withStatus = folders.map((f) => (selectable(f) ? { ...f, status: status.get(nameKey(f.pathAsListed)) } : f));
  const listedNames = lines.map((l) => l.name);
  return { folders: await resolveSpecialUse(withStatus, caps.has('SPECIAL-USE') || caps.has('XLIST'), personal), namespaces, namespace, listedNames };
}

// LIST "" "<prefix>*" for each namespace prefix, pipelined, with the main LIST's RETURN options: a server
// may leave a namespace out of "*" (Dovecot's list = no). A refusal lists nothing more; the main listing stands.
// A prefix that cannot be sent as a quoted string (the server's own text, never trusted) is not asked.
async function listNamespaces(conn: FetchConnection, prefixes: readonly string[], returning: string): Promise<RawResponse[]> {
  const patterns = [...new Set(prefixes.filter((p) => p !== '' && /^[\x20-\x7e]*$/.test(p)))].map((p) => imapQuote(`${p}*`));
  const answers = await Promise.all(patterns.map((p) => conn.collect(`LIST "" ${p}${returning}`)));
  return answers.flatMap((a) => a.responses);
}

// The NAMESPACE answer, or the root of LIST "" "" where the server has no NAMESPACE (as imapflow does).
function namespacesFrom(responses: readonly RawResponse[], asked: boolean): Namespaces {
  if (!asked) {
    const root = responses.map(parseListLine).find((l) => l?.name === '');
    return { personal: [{ prefix: '', delimiter: root?.delimiter ?? null }], other: false, shared: false };
  }
  const parsed = responses.map(parseNamespaceLine).find((n) => n !== null);
  // No answer: imapflow knows no namespace, and the delimiter comes from the listing.
  if (!parsed) return { personal: [{ prefix: '', delimiter: null }], other: false, shared: false };
  const personal = parsed.personal || [];
  return { personal: personal.length > 0 ? personal : [{ prefix: '', delimiter: '.' }], other: parsed.other, shared: parsed.shared };
}

// A LIST line as imapflow's entry: decoded path, INBOX normalised, a leading delimiter dropped, \NonExistent ⇒ \Noselect.
function folderOf(l: ListLine): ListedFolder {
  let path = decodeMutf7(l.name);
  if (path.toUpperCase() === 'INBOX') path = 'INBOX';
  if (l.delimiter && path.startsWith(l.delimiter)) path = path.slice(1);
  const flags = new Set(l.flags);
  if (flags.has('\\NonExistent')) flags.add('\\Noselect');
  const subscribed = flags.delete('\\Subscribed') ? true : undefined;
  return { path, pathAsListed: l.name, delimiter: l.delimiter, flags, subscribed };
}

// What LIST "<prefix>" "*" would have named, plus INBOX (which imapflow then lists on its own).
function inPersonal(f: ListedFolder, prefix: string): boolean {
  return prefix === '' || f.path === 'INBOX' || f.path.startsWith(prefix);
}

function selectable(f: ListedFolder): boolean {
  return !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent');
}

// STATUS of every selectable folder, pipelined; a name that cannot be sent as a quoted string, or a refusal, gets none.
async function askStatus(conn: FetchConnection, folders: readonly ListedFolder[], items: readonly StatusItem[]): Promise<Map<string, FolderStatus>> {
  const asked = folders.filter((f) => selectable(f) && /^[\x20-\x7e]*$/.test(f.pathAsListed));
  const answers = await Promise.all(asked.map((f) => conn.collect(`STATUS ${imapQuote(f.pathAsListed)} (${items.join(' ')})`)));
  const status = statusByName(answers.flatMap((a) => a.responses));
  asked.forEach((f, i) => {
    if (answers[i]!.status !== 'OK') status.delete(nameKey(f.pathAsListed));
  });
  return status;
}

function statusByName(responses: readonly RawResponse[]): Map<string, FolderStatus> {
  const out = new Map<string, FolderStatus>();
  for (const r of responses) {
    const s = parseStatusLine(r);
    if (!s) continue;
    const num = (k: string): number | undefined => {
      const v = s.items.get(k);
      return v !== undefined && Number.isSafeInteger(Number(v)) ? Number(v) : undefined;
    };
    const modseq = s.items.get('HIGHESTMODSEQ');
    out.set(nameKey(s.name), { messages: num('MESSAGES'), uidNext: num('UIDNEXT'), uidValidity: num('UIDVALIDITY'), ...(modseq !== undefined ? { highestModseq: BigInt(modseq) } : {}) });
  }
  return out;
}

// INBOX in any case is INBOX (RFC 3501 §5.1).
function nameKey(name: string): string {
  return name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
}

const SOURCE_RANK = { extension: 0, name: 1, 'name-guess': 2 } as const;

/**
 * Gives each special use to one folder and each folder at most one use, as imapflow's list() does:
 * a server attribute (when the server offers SPECIAL-USE) before a known localized name, then the
 * shallower folder, then the path (by code units, where imapflow collates with localeCompare: the
 * two differ only between names that tie on all else, e.g. "Sent" and "sent"). INBOX holds \Inbox.
 * imapflow's name table (a module of data, without its client) is loaded here.
 */
async function resolveSpecialUse(folders: ListedFolder[], hasExtension: boolean, personal: (f: ListedFolder) => boolean): Promise<ListedFolder[]> {
  const { specialUse } = await import('imapflow/lib/special-use.js');
  const candidates: { type: string; rank: number; depth: number; index: number }[] = [];
  folders.forEach((f, index) => {
    // Another user's Sent is never this user's: only personal folders compete for a use.
    if (!personal(f)) return;
    const segments = f.delimiter ? f.path.split(f.delimiter) : [f.path];
    const depth = segments.length - 1;
    if (f.path === 'INBOX' && !f.flags.has('\\NonExistent')) candidates.push({ type: '\\Inbox', rank: SOURCE_RANK.name, depth, index });
    const found = specialUse(hasExtension, { flags: new Set(f.flags), name: segments[segments.length - 1]! });
    // A name alone never gives a use to a folder that does not exist.
    if (found.flag && (found.source === 'extension' || !f.flags.has('\\NonExistent'))) candidates.push({ type: found.flag, rank: SOURCE_RANK[found.source ?? 'name'], depth, index });
  });
  candidates.sort((a, b) => a.rank - b.rank || a.depth - b.depth || compareNames(folders[a.index]!.path, folders[b.index]!.path));
  const uses = new Map<number, string>();
  const taken = new Set<string>();
  for (const c of candidates) {
    if (taken.has(c.type) || uses.has(c.index)) continue;
    uses.set(c.index, c.type);
    taken.add(c.type);
  }
  return folders.map((f, i) => (uses.has(i) ? { ...f, specialUse: uses.get(i) } : f));
}

function oncePerName(lines: readonly ListLine[]): ListLine[] {
  const byName = new Map<string, ListLine>();
  for (const l of lines) if (!byName.has(l.name)) byName.set(l.name, l);
  return [...byName.values()];
}
