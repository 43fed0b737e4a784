import { type Result, ok } from '../../shared/errors/result.ts';
import { classifyImapError } from '../backends/imap/imap-errors.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { decodeMutf7 } from '../imap/mutf7.ts';
import type { RawResponse } from '../imap/response-reader.ts';
import { describeEndpoint } from './endpoint.ts';
import { FetchConnection } from './fetch-connection.ts';
import { namespaceKind, namespacesOf } from './namespace-filter.ts';
import type { FolderInventory } from './planner.ts';
import { listFolders, type ListedFolder } from './raw-listing.ts';

/** One message as the inventory reads it. */
interface InventoryMeta {
  readonly size: number;
  readonly flags: readonly string[];
  readonly msgid: string | null;
}

/** How an inventory reads. */
export interface InventoryOptions {
  /** Messages per FETCH (default 5,000): a large folder's answer is parsed slice by slice, never held whole. */
  readonly sliceSize?: number;
}

const DEFAULT_SLICE = 5000;

/**
 * Takes a mailbox inventory for the planner on the engine's raw session: the listing of every
 * namespace the server announces (RFC 2342), each folder tagged with its kind, then per folder an
 * EXAMINE and a FETCH of sizes, flags and (on Gmail) X-GM-MSGID — no bodies. Virtual and
 * non-selectable folders are left out.
 */
export async function takeInventory(endpoint: ImapEndpoint, maxMessageBytes: number | null, options: InventoryOptions = {}): Promise<Result<FolderInventory[]>> {
  const slice = options.sliceSize ?? DEFAULT_SLICE;
  if (!Number.isSafeInteger(slice) || slice < 1) throw new RangeError(`sliceSize must be a positive integer, not ${slice}`);
  const opened = await FetchConnection.open(endpoint);
  if (!opened.ok) return opened;
  const conn = opened.value;
  try {
    const gmail = conn.capabilities.has('X-GM-EXT-1');
    // Other users' and shared folders too: the estimate leaves them out unless the plan asks for them.
    const listing = await listFolders(conn, ['MESSAGES'], false, true);
    const kinds = namespacesOf(listing.namespaces);
    const seen = new Set<string>();
    const out: FolderInventory[] = [];
    // Gmail's Starred and Important are views of All Mail; imapflow's use table (which the listing follows) has no \Important, so the attribute is read.
    const folders = listing.folders.filter(
      (f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent') && f.specialUse !== '\\Flagged' && !f.flags.has('\\Important'),
    );
    // Gmail: label folders first, All Mail last, so a copy counts as overhead where it repeats.
    folders.sort((a, b) => Number(a.specialUse === '\\All') - Number(b.specialUse === '\\All'));
    for (const f of folders) {
      const namespace = namespaceKind(f.path, kinds);
      let bytes = 0;
      let largest = 0;
      let labelCopies = 0;
      let labelCopyBytes = 0;
      const oversize: number[] = [];
      const keywords = new Set<string>();
      let messages = 0;
      let refused: string | undefined;
      const count = (m: InventoryMeta): void => {
        messages++;
        bytes += m.size;
        largest = Math.max(largest, m.size);
        if (maxMessageBytes !== null && m.size > maxMessageBytes) oversize.push(m.size);
        for (const flag of m.flags) if (!flag.startsWith('\\')) keywords.add(flag);
        if (m.msgid !== null) {
          if (seen.has(m.msgid)) {
            labelCopies++;
            labelCopyBytes += m.size;
          } else seen.add(m.msgid);
        }
      };
      try {
        await readFolder(conn, f, gmail, slice, count);
      } catch (error) {
        // Another user's folder may be visible (ACL "l") and not readable: that folder, not the inventory, fails.
        const answer = error as { responseStatus?: string; responseText?: string };
        if (namespace === 'personal' || answer.responseStatus === undefined) throw error;
        refused = answer.responseText ?? answer.responseStatus;
      }
      out.push({ path: f.path, namespace, messages, bytes, largest, oversize, keywords: [...keywords].sort(), labelCopies, labelCopyBytes, ...(refused !== undefined ? { refused } : {}) });
    }
    await conn.close();
    return ok(out);
  } catch (error) {
    conn.destroy();
    return { ok: false, error: classifyImapError(error, `inventory of ${describeEndpoint(endpoint)}`) };
  }
}

// EXAMINE, then (when it holds any) the FETCH of every message's size and flags; a folder the listing counted empty is not opened.
async function readFolder(conn: FetchConnection, f: ListedFolder, gmail: boolean, slice: number, onMeta: (m: InventoryMeta) => void): Promise<void> {
  if (f.status?.messages === 0) return;
  // By the name as listed: the listing strips a leading delimiter from the path.
  const state = await conn.examine(decodeMutf7(f.pathAsListed));
  const items = `(UID RFC822.SIZE FLAGS${gmail ? ' X-GM-MSGID' : ''})`;
  // The last slice runs to "*", which stays valid should another session expunge meanwhile.
  for (let from = 1; from <= state.exists; from += slice) {
    const to = from + slice > state.exists ? '*' : String(from + slice - 1);
    const r = await conn.collect(`FETCH ${from}:${to} ${items}`);
    if (r.status !== 'OK') throw Object.assign(new Error(`FETCH ${f.path}: ${r.text}`), { responseStatus: r.status, responseText: r.text });
    for (const response of r.responses) {
      const m = parseInventoryMeta(response);
      if (m) onMeta(m);
    }
  }
}

/** Parses one FETCH answer of the inventory: RFC822.SIZE, FLAGS and, where asked, X-GM-MSGID. */
export function parseInventoryMeta(r: RawResponse): InventoryMeta | null {
  if (!/^\* \d+ FETCH /i.test(r.text)) return null;
  const size = /[( ]RFC822\.SIZE (\d+)/i.exec(r.text);
  if (!size) return null;
  const flags = /[( ]FLAGS \(([^)]*)\)/i.exec(r.text)?.[1]?.split(' ').filter(Boolean) ?? [];
  return { size: Number(size[1]), flags, msgid: /[( ]X-GM-MSGID (\d+)/i.exec(r.text)?.[1] ?? null };
}
