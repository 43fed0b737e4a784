import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { addCyrusUser, cyrusEndpoint, defaultCyrus, rawImap, startCyrus, type CyrusInstance } from '../../support/cyrus.ts';

async function connect(endpoint: ImapEndpoint): Promise<ImapFlow> {
  const client = new ImapFlow(imapFlowOptions(endpoint));
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

// A header with raw Latin-1 bytes, as old mailers wrote them: munge8bit decides whether Cyrus keeps them.
const eightBit = Buffer.concat([
  Buffer.from('From: a@example.test\r\nTo: b@example.test\r\nSubject: caf', 'latin1'),
  Buffer.from([0xe9]),
  Buffer.from(' cr\u00e8me\r\nMessage-ID: <eight-bit@example.test>\r\nDate: Mon, 01 Jun 2026 10:00:00 +0000\r\n\r\nbody\r\n', 'latin1'),
]);

async function appendAndReadBack(cyrus: CyrusInstance): Promise<Buffer> {
  const account = await addCyrusUser(cyrus, 'munge');
  const client = await connect(cyrusEndpoint(cyrus, account));
  await client.append('INBOX', eightBit, ['\\Seen']);
  await client.mailboxOpen('INBOX');
  const message = await client.fetchOne('*', { source: true });
  await client.logout();
  return message ? message.source! : Buffer.alloc(0);
}

describe('Cyrus IMAP test servers', () => {
  let slash: CyrusInstance & { stop(): Promise<void> };
  beforeAll(async () => {
    slash = await startCyrus({ separator: '/', munge8bit: false });
  }, 150_000);
  afterAll(async () => {
    await slash?.stop();
  });

  it('serves the default instance with Debian namespaces, special-use folders and bob\'s Sent shared to alice', async () => {
    const cyrus = defaultCyrus();
    expect(cyrus).toMatchObject({ separator: '.', munge8bit: true });
    const alice = cyrus.users.find((u) => u.user === 'alice')!;
    const client = await connect(cyrusEndpoint(cyrus, alice));
    const folders = await client.list();
    await client.logout();
    const byPath = new Map(folders.map((f) => [f.path, f]));
    expect(byPath.get('INBOX.Sent')?.specialUse).toBe('\\Sent');
    expect(byPath.get('INBOX.Drafts')?.specialUse).toBe('\\Drafts');
    expect(byPath.get('INBOX.Archive')?.specialUse).toBe('\\Archive');

    const transcript = await rawImap(cyrus, alice, ['NAMESPACE', 'LIST "" "user.*"', `EXAMINE ${cyrus.sharedFolder.seenAs}`, 'FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]']);
    expect(transcript).toContain('* NAMESPACE (("INBOX." ".")) (("user." "."))');
    expect(transcript).toMatch(/^\* LIST \([^)]*\) "\." user\.bob\.Sent\r$/m);
    expect(transcript).toContain('* 1 EXISTS');
    expect(transcript).toContain('Subject: shared by bob');
  });

  it('starts an instance per test file with "/" as separator and creates users on demand', async () => {
    const account = await addCyrusUser(slash, 'sep');
    const client = await connect(cyrusEndpoint(slash, account));
    await client.mailboxCreate('INBOX/Réunions/2026');
    const folders = (await client.list()).map((f) => [f.path, f.delimiter]);
    await client.logout();
    expect(folders).toEqual(expect.arrayContaining([['INBOX/Sent', '/'], ['INBOX/Réunions/2026', '/']]));
  });

  it('rewrites 8-bit header bytes with munge8bit on and keeps them with it off', async () => {
    const munged = await appendAndReadBack(defaultCyrus());
    const kept = await appendAndReadBack(slash);
    expect(kept.equals(eightBit)).toBe(true);
    expect(munged.length).toBe(eightBit.length);
    expect(munged.equals(eightBit)).toBe(false);
    expect(munged.toString('latin1')).toContain('Subject: cafX crXme');
  });
});
