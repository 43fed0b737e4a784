import { createHash } from 'node:crypto';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { readMailbox } from '../../support/migration-corpus.ts';

/** Differences an independent reader found between source and target. */
export interface Comparison {
  readonly sourceMessages: number;
  readonly targetMessages: number;
  /** Source messages with no identical target copy (bytes, internal date and flags). */
  readonly missing: string[];
  /** Target messages beyond one copy per source message (duplicates or strays). */
  readonly extra: string[];
}

/**
 * Reads both mailboxes with a plain imapflow client and matches every message by SHA-256 of its
 * bytes + internal date + sorted flags, folder by folder: each source message must appear exactly once.
 */
export async function compareMailboxes(source: ImapEndpoint, target: ImapEndpoint, ignoreFlags = false): Promise<Comparison> {
  const a = await readMailbox(source);
  const b = await readMailbox(target);
  const missing: string[] = [];
  const extra: string[] = [];
  let sourceMessages = 0;
  let targetMessages = 0;
  const folders = new Set([...a.keys(), ...b.keys()]);
  for (const folder of folders) {
    const key = (m: { content: Buffer; internalDate: number; flags: readonly string[] }): string =>
      `${createHash('sha256').update(m.content).digest('hex')}|${m.internalDate}|${ignoreFlags ? '' : m.flags.join(' ')}`;
    const want = new Map<string, number>();
    for (const m of a.get(folder) ?? []) {
      sourceMessages++;
      want.set(key(m), (want.get(key(m)) ?? 0) + 1);
    }
    for (const m of b.get(folder) ?? []) {
      targetMessages++;
      const k = key(m);
      const n = want.get(k) ?? 0;
      if (n > 0) want.set(k, n - 1);
      else extra.push(`${folder} UID ${m.uid}`);
    }
    for (const [k, n] of want) for (let i = 0; i < n; i++) missing.push(`${folder} ${k.slice(0, 16)}`);
  }
  return { sourceMessages, targetMessages, missing, extra };
}
