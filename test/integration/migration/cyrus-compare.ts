import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import type { CorpusMessage } from '../../support/migration-corpus.ts';

/** A message as an independent reader sees it, under its folder's server-neutral name. */
interface Seen {
  readonly folder: string;
  readonly uid: number;
  readonly content: Buffer;
  readonly internalDate: number;
  readonly flags: string;
}

/** What the reader found on both sides, folder names compared without namespace prefix or separator. */
export interface LogicalComparison {
  readonly sourceMessages: number;
  readonly targetMessages: number;
  /** Folder names ("/" between levels) on each side, the personal prefix (INBOX. on Cyrus) removed. */
  readonly sourceFolders: string[];
  readonly targetFolders: string[];
  /** Source messages with no target copy of the same date, flags and bytes (8-bit bytes aside, see `altered`). */
  readonly missing: string[];
  /** Target messages beyond one copy per source message. */
  readonly extra: string[];
  /** Target copies that match their source except for bytes ≥ 0x80 (Cyrus's munge8bit turns them into "X"). */
  readonly altered: string[];
}

/** The folder a corpus message lands in on a Cyrus account whose personal namespace is INBOX + separator. */
export function cyrusFolder(folder: string, separator: string): string {
  if (folder === 'INBOX') return 'INBOX';
  const inner = folder.startsWith('INBOX/') ? folder.slice('INBOX/'.length) : folder;
  return `INBOX${separator}${inner.split('/').join(separator)}`;
}

/** The corpus re-filed into Cyrus folder names. */
export function forCyrus(messages: readonly CorpusMessage[], separator: string): CorpusMessage[] {
  return messages.map((m) => ({ ...m, folder: cyrusFolder(m.folder, separator) }));
}

async function readLogical(endpoint: ImapEndpoint): Promise<{ folders: string[]; messages: Seen[] }> {
  const client = new ImapFlow(imapFlowOptions(endpoint));
  client.on('error', () => undefined);
  await client.connect();
  const prefix = (client.namespace as { prefix?: string } | undefined)?.prefix ?? '';
  const folders: string[] = [];
  const messages: Seen[] = [];
  for (const f of await client.list()) {
    if (f.flags.has('\\Noselect')) continue;
    const inner = f.path.toUpperCase() !== 'INBOX' && prefix && f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path;
    const folder = f.delimiter ? inner.split(f.delimiter).join('/') : inner;
    folders.push(folder);
    const box = await client.mailboxOpen(f.path, { readOnly: true });
    if (box.exists === 0) continue;
    for await (const m of client.fetch('1:*', { uid: true, source: true, internalDate: true, flags: true })) {
      const flags = [...(m.flags ?? [])].filter((x) => x !== '\\Recent').sort().join(' ');
      messages.push({ folder, uid: m.uid, content: m.source!, internalDate: new Date(m.internalDate!).getTime(), flags });
    }
  }
  await client.logout();
  return { folders: folders.sort(), messages };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
// Every byte ≥ 0x80 as "X", which is what munge8bit writes in place of 8-bit header bytes.
const without8bit = (b: Buffer): Buffer => Buffer.from(b.map((c) => (c >= 0x80 ? 0x58 : c)));

/**
 * Reads both accounts and matches every message by folder + internal date + flags + SHA-256 of its
 * bytes; a target copy that matches only once 8-bit bytes are masked on both sides counts as altered.
 */
export async function compareLogical(source: ImapEndpoint, target: ImapEndpoint): Promise<LogicalComparison> {
  const a = await readLogical(source);
  const b = await readLogical(target);
  const key = (m: Seen, content: Buffer): string => `${m.folder}|${m.internalDate}|${m.flags}|${sha(content)}`;
  const exact = new Map<string, Seen[]>();
  const masked = new Map<string, Seen[]>();
  for (const m of a.messages) {
    exact.set(key(m, m.content), [...(exact.get(key(m, m.content)) ?? []), m]);
    const k = key(m, without8bit(m.content));
    masked.set(k, [...(masked.get(k) ?? []), m]);
  }
  const take = (map: Map<string, Seen[]>, k: string): Seen | undefined => {
    const list = map.get(k);
    const m = list?.shift();
    if (list && list.length === 0) map.delete(k);
    return m;
  };
  const drop = (map: Map<string, Seen[]>, k: string, m: Seen): void => {
    const list = map.get(k) ?? [];
    list.splice(list.indexOf(m), 1);
    if (list.length === 0) map.delete(k);
  };
  const extra: string[] = [];
  const altered: string[] = [];
  const unmatched: Seen[] = [];
  for (const m of b.messages) {
    const hit = take(exact, key(m, m.content));
    if (hit) drop(masked, key(hit, without8bit(hit.content)), hit);
    else unmatched.push(m);
  }
  for (const m of unmatched) {
    const hit = take(masked, key(m, without8bit(m.content)));
    if (!hit) {
      extra.push(`${m.folder} UID ${m.uid}`);
      continue;
    }
    drop(exact, key(hit, hit.content), hit);
    altered.push(`${m.folder} UID ${m.uid}`);
  }
  const missing = [...exact.values()].flat().map((m) => `${m.folder} UID ${m.uid}`);
  return { sourceMessages: a.messages.length, targetMessages: b.messages.length, sourceFolders: a.folders, targetFolders: b.folders, missing, extra, altered };
}
