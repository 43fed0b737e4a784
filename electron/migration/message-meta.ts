import type { ImapFlow, MailboxLockObject } from 'imapflow';
import type { FetchConnection } from './fetch-connection.ts';
import type { FetchedMeta } from '../imap/fetch-parse.ts';
import { messageKey, parseMessageIdHeader, provisionalKey } from './message-key.ts';

/** What the metadata pass learns about one message, without its body. */
export interface MessageMeta {
  readonly uid: number;
  readonly key: string;
  readonly size: number;
  readonly internalDate: Date | null;
  readonly flags: readonly string[];
  readonly emailId: string | null;
}

/** Compresses sorted UIDs into an IMAP sequence set: [1,2,3,7] → "1:3,7". */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Splits UIDs into sets of at most `size` UIDs, so no command line grows without bound. */
export function uidChunks(uids: readonly number[], size = 2000): string[] {
  const sorted = [...uids].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i += size) out.push(uidSet(sorted.slice(i, i + size)));
  return out;
}

/**
 * Fetches UID, size, INTERNALDATE, FLAGS and the Message-ID header of `range` in the selected
 * mailbox, then the full header of the few messages without a usable Message-ID, and returns
 * each message's identity key. Only UIDs above `aboveUid` are kept ("N:*" always returns the last message).
 */
export async function fetchMeta(client: ImapFlow, range: string, aboveUid = 0): Promise<MessageMeta[]> {
  const found: { uid: number; size: number; internalDate: Date | null; flags: string[]; messageId: string | null; emailId: string | null }[] = [];
  for await (const m of client.fetch(range, { uid: true, size: true, internalDate: true, flags: true, headers: ['message-id'] }, { uid: true })) {
    if (m.uid <= aboveUid) continue;
    found.push({
      uid: m.uid,
      size: m.size ?? 0,
      internalDate: toDate(m.internalDate),
      flags: [...(m.flags ?? [])],
      messageId: parseMessageIdHeader(m.headers),
      emailId: m.emailId ?? null,
    });
  }
  const headers = new Map<number, Buffer>();
  const bare = found.filter((m) => m.messageId === null).map((m) => m.uid);
  for (const set of uidChunks(bare)) {
    for await (const m of client.fetch(set, { uid: true, headers: true }, { uid: true })) headers.set(m.uid, m.headers ?? Buffer.alloc(0));
  }
  return withKeys(found, headers);
}

/**
 * fetchMeta over the raw source connection, in the mailbox it has examined: the same keys, one
 * pipelined command (plus one for the few messages without a Message-ID). With `keys` false it is
 * the light pass: UID, size and date, keys provisional (computed from the body later).
 */
export async function fetchMetaRaw(conn: FetchConnection, range: string, aboveUid: number, keys: boolean): Promise<MessageMeta[]> {
  return metasFrom((await conn.meta(range, keys)).filter((m) => m.uid > aboveUid), keys, conn);
}

/** Turns a raw metadata answer into metadata with keys (fetching the header of messages without a Message-ID), or provisional keys. */
export async function metasFrom(fetched: readonly FetchedMeta[], keys: boolean, conn: FetchConnection): Promise<MessageMeta[]> {
  if (!keys) return fetched.map((m) => ({ uid: m.uid, size: m.size, internalDate: m.internalDate, flags: [...m.flags], emailId: null, key: provisionalKey(m.uid) }));
  const found = fetched.map((m) => ({ uid: m.uid, size: m.size, internalDate: m.internalDate, flags: [...m.flags], messageId: parseMessageIdHeader(m.header), emailId: null }));
  const headers = new Map<number, Buffer>();
  for (const set of uidChunks(found.filter((m) => m.messageId === null).map((m) => m.uid))) for (const [uid, h] of await conn.headers(set)) headers.set(uid, h);
  return withKeys(found, headers);
}

function withKeys(
  found: readonly { uid: number; size: number; internalDate: Date | null; flags: string[]; messageId: string | null; emailId: string | null }[],
  headers: ReadonlyMap<number, Buffer>,
): MessageMeta[] {
  return found.map((m) => ({
    uid: m.uid,
    size: m.size,
    internalDate: m.internalDate,
    flags: m.flags,
    emailId: m.emailId,
    key: messageKey({ messageId: m.messageId, internalDate: m.internalDate, size: m.size, header: headers.get(m.uid) ?? Buffer.alloc(0) }),
  }));
}

/**
 * Opens `path` read-only under a mailbox lock, showing what the folder holds now: a NOOP (RFC 3501
 * §6.1.2) syncs a view this client already had open before anything is read from it.
 */
export async function lockCurrentView(client: ImapFlow, path: string): Promise<MailboxLockObject> {
  const lock = await client.getMailboxLock(path, { readOnly: true });
  // imapflow keeps a mailbox already open without selecting it again, and Dovecot shows a session
  // messages other sessions added only at its next sync: without the NOOP a second read of a folder
  // sees it as it was at the first, and a landed uncertain batch looks lost (and is appended again).
  try {
    await client.noop();
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}

/** Reads the identity keys of every message in a folder as it is now (opened read-only under a mailbox lock). */
export async function fetchFolderKeys(client: ImapFlow, path: string): Promise<MessageMeta[]> {
  const lock = await lockCurrentView(client, path);
  try {
    const box = client.mailbox;
    if (!box || box.exists === 0) return [];
    return await fetchMeta(client, '1:*');
  } finally {
    lock.release();
  }
}

function toDate(value: Date | string | undefined): Date | null {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}
