import { describe, expect, it } from 'vitest';
import type { RawResponse } from '../../../../electron/imap/response-reader.ts';
import type { FetchConnection } from '../../../../electron/migration/fetch-connection.ts';
import { listFolders } from '../../../../electron/migration/raw-listing.ts';

type Answer = { status: 'OK' | 'NO' | 'BAD'; lines: (string | RawResponse)[] };

// A raw session that answers each command from a script (matched by its start) and records what was sent.
function session(capabilities: string, script: Record<string, Answer>): { conn: FetchConnection; sent: string[] } {
  const sent: string[] = [];
  const collect = (command: string): Promise<{ status: string; text: string; responses: RawResponse[] }> => {
    sent.push(command);
    const key = Object.keys(script).filter((k) => command.startsWith(k)).sort((a, b) => b.length - a.length)[0];
    const a = key ? script[key]! : { status: 'BAD' as const, lines: [] };
    return Promise.resolve({ status: a.status, text: 'done', responses: a.lines.map((l) => (typeof l === 'string' ? { text: l, literals: [] } : l)) });
  };
  return { conn: { capabilities: new Set(capabilities.split(' ')), collect } as unknown as FetchConnection, sent };
}

const ok = (...lines: (string | RawResponse)[]): Answer => ({ status: 'OK', lines });
const byPath = <T extends { path: string }>(list: readonly T[]): Record<string, T> => Object.fromEntries(list.map((f) => [f.path, f]));

describe('listing on a raw session (raw-listing.ts)', () => {
  it('one pipelined round trip with LIST-STATUS: modified UTF-7, literal names, \\NonExistent, special use by attribute and by name', async () => {
    const { conn, sent } = session('IMAP4REV1 UNSELECT NAMESPACE LIST-EXTENDED LIST-STATUS SPECIAL-USE CHILDREN CONDSTORE', {
      UNSELECT: { status: 'BAD', lines: [] },
      // Dovecot runs pipelined commands in parallel: some LIST and STATUS lines reach the NAMESPACE command's collector.
      NAMESPACE: ok('* NAMESPACE (("" "/")) NIL NIL', '* LIST (\\HasNoChildren \\Subscribed) "/" "Gesendet-Alt"', '* STATUS "Gesendet-Alt" (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 7)'),
      'LIST "" "*"': ok(
        '* LIST (\\HasChildren) "/" inbox',
        '* STATUS inbox (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 7 HIGHESTMODSEQ 9)',
        '* LIST (\\HasNoChildren \\Subscribed \\Sent) "/" "Gesendet"',
        '* STATUS "Gesendet" (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 7 HIGHESTMODSEQ 5)',
        '* LIST (\\NonExistent \\HasChildren) "/" Clients',
        '* LIST (\\HasNoChildren) "/" "Clients/M&APw-ller"',
        '* STATUS "Clients/M&APw-ller" (MESSAGES 5 UIDNEXT 6 UIDVALIDITY 7)',
        { text: '* LIST (\\HasNoChildren) "/" \x000\x00', literals: [Buffer.from('Dr "Who" (1)')] },
        { text: '* STATUS \x000\x00 (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 7)', literals: [Buffer.from('Dr "Who" (1)')] },
        '* LIST (\\HasNoChildren) "/" Archive',
        '* STATUS Archive (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 7)',
        '* LIST (broken',
        '* STATUS "unterminated (MESSAGES 1)',
      ),
    });
    const listing = await listFolders(conn, ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY', 'HIGHESTMODSEQ'], true);
    expect(sent).toEqual(['UNSELECT', 'NAMESPACE', 'LIST "" "*" RETURN (SPECIAL-USE CHILDREN SUBSCRIBED STATUS (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ))']);
    expect(listing.namespace).toEqual({ prefix: '', delimiter: '/' });
    const f = byPath(listing.folders);
    expect(Object.keys(f).sort()).toEqual(['Archive', 'Clients', 'Clients/Müller', 'Dr "Who" (1)', 'Gesendet', 'Gesendet-Alt', 'INBOX']);
    expect(f['INBOX']).toMatchObject({ pathAsListed: 'inbox', specialUse: '\\Inbox', status: { messages: 3, uidNext: 4, uidValidity: 7, highestModseq: 9n } });
    expect(f['Gesendet']).toMatchObject({ specialUse: '\\Sent', subscribed: true, status: { messages: 2 } });
    expect([...f['Gesendet']!.flags]).toEqual(['\\HasNoChildren', '\\Sent']);
    // The attribute wins over a name; a folder named like a special use but not marked gets it when no other folder has it.
    expect(f['Gesendet-Alt']!.specialUse).toBeUndefined();
    expect(f['Archive']!.specialUse).toBe('\\Archive');
    expect(f['Clients']!.status).toBeUndefined();
    expect([...f['Clients']!.flags].sort()).toEqual(['\\HasChildren', '\\NonExistent', '\\Noselect']);
    expect(f['Clients/Müller']).toMatchObject({ pathAsListed: 'Clients/M&APw-ller', delimiter: '/', status: { messages: 5 } });
    expect(f['Dr "Who" (1)']!.status?.messages).toBe(1);
  });

  it('without LIST-STATUS or NAMESPACE: LIST "" "" for the delimiter, then STATUS of each selectable folder; a refused STATUS gives none', async () => {
    const { conn, sent } = session('IMAP4REV1', {
      NOOP: ok(),
      'LIST "" ""': ok('* LIST (\\Noselect) "." ""'),
      'LIST "" "*"': ok('* LIST () "." INBOX', '* LIST (\\Noselect) "." Public', '* LIST () "." Sent', '* LIST () "." Gone', '* LIST () "." "Caf\u00c3\u00a9"'),
      'STATUS "INBOX"': ok('* STATUS INBOX (MESSAGES 4 UIDNEXT 5 UIDVALIDITY 1)'),
      'STATUS "Sent"': ok('* STATUS "Sent" (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 1)'),
      'STATUS "Gone"': { status: 'NO', lines: [] },
    });
    const listing = await listFolders(conn, ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY'], true);
    expect(sent).toEqual(['NOOP', 'LIST "" ""', 'LIST "" "*"', 'STATUS "INBOX" (MESSAGES UIDNEXT UIDVALIDITY)', 'STATUS "Sent" (MESSAGES UIDNEXT UIDVALIDITY)', 'STATUS "Gone" (MESSAGES UIDNEXT UIDVALIDITY)']);
    expect(listing.namespace).toEqual({ prefix: '', delimiter: '.' });
    const f = byPath(listing.folders);
    expect(Object.keys(f)).toEqual(['INBOX', 'Public', 'Sent', 'Gone', 'Café']);
    expect(f['Sent']).toMatchObject({ status: { messages: 2 }, specialUse: '\\Sent' });
    expect(f['Gone']!.status).toBeUndefined();
    expect(f['Public']!.status).toBeUndefined();
    // 8-bit name (not modified UTF-7): not sent as a quoted string, so not asked.
    expect(f['Café']!.status).toBeUndefined();
  });

  it("Cyrus's INBOX. prefix: only the personal namespace is listed, as imapflow's LIST with that reference did", async () => {
    const { conn, sent } = session('IMAP4REV1 NAMESPACE UNSELECT LIST-EXTENDED LIST-STATUS SPECIAL-USE', {
      UNSELECT: ok(),
      NAMESPACE: ok('* NAMESPACE (("INBOX." ".")) (("user." ".")) (("" "."))'),
      'LIST "" "*"': ok(
        '* LIST (\\HasChildren) "." INBOX',
        '* LIST (\\HasNoChildren \\Sent) "." INBOX.Sent',
        '* LIST (\\HasNoChildren) "." "INBOX.R&AOk-unions"',
        '* LIST (\\HasNoChildren) "." user.bob',
        '* LIST (\\HasNoChildren \\Sent) "." user.bob.Sent',
        '* LIST (\\HasNoChildren) "." shared',
        '* STATUS INBOX (MESSAGES 1)',
        '* STATUS INBOX.Sent (MESSAGES 2)',
      ),
    });
    const listing = await listFolders(conn, ['MESSAGES']);
    // Not asked to leave the open mailbox (the start of a run): no UNSELECT.
    expect(sent).toEqual(['NAMESPACE', 'LIST "" "*" RETURN (SPECIAL-USE CHILDREN SUBSCRIBED STATUS (MESSAGES))']);
    expect(listing.folders.map((f) => f.path)).toEqual(['INBOX', 'INBOX.Sent', 'INBOX.Réunions']);
    // What the server listed, for the quiet check's comparison with its own LIST "" "*".
    expect(listing.listedNames).toEqual(['INBOX', 'INBOX.Sent', 'INBOX.R&AOk-unions', 'user.bob', 'user.bob.Sent', 'shared']);
    expect(listing.namespace).toEqual({ prefix: 'INBOX.', delimiter: '.' });
    expect(listing.namespaces.other).toEqual([{ prefix: 'user.', delimiter: '.' }]);
    expect(byPath(listing.folders)['INBOX.Sent']).toMatchObject({ specialUse: '\\Sent', status: { messages: 2 } });
  });

  it("Cyrus's INBOX. prefix with shared folders asked: every announced namespace is listed by its own prefix, and only personal folders get a special use", async () => {
    const { conn, sent } = session('IMAP4REV1 NAMESPACE LIST-EXTENDED LIST-STATUS SPECIAL-USE', {
      // A prefix with CR LF (a literal) would end the command early: never sent.
      NAMESPACE: ok({ text: '* NAMESPACE (("INBOX." ".")) (("user." ".") (\x000\x00 ".")) (("" "."))', literals: [Buffer.from('x\r\nDELETE INBOX.')] }),
      'LIST "" "*"': ok(
        '* LIST (\\HasChildren) "." INBOX',
        '* LIST (\\HasNoChildren) "." "Sent Items"',
        '* LIST (\\HasNoChildren) "." INBOX.Sent',
        '* LIST (\\Noselect \\HasChildren) "." user',
        '* LIST (\\HasNoChildren \\Sent) "." user.bob.Sent',
        '* STATUS user.bob.Sent (MESSAGES 1)',
        '* LIST (\\HasNoChildren) "." shared',
      ),
      // A namespace "*" left out (as Dovecot's list = no does) is reached by its prefix.
      'LIST "" "user.*"': ok('* LIST (\\HasNoChildren \\Sent) "." user.bob.Sent', '* LIST (\\HasNoChildren) "." user.carol.Trash', '* STATUS user.carol.Trash (MESSAGES 4)'),
    });
    const listing = await listFolders(conn, ['MESSAGES'], false, true);
    const returning = ' RETURN (SPECIAL-USE CHILDREN SUBSCRIBED STATUS (MESSAGES))';
    // The shared namespace's prefix is "": "*" already lists it.
    expect(sent).toEqual(['NAMESPACE', `LIST "" "*"${returning}`, `LIST "" "user.*"${returning}`]);
    expect(listing.folders.map((f) => f.path)).toEqual(['INBOX', 'Sent Items', 'INBOX.Sent', 'user', 'user.bob.Sent', 'shared', 'user.carol.Trash']);
    const f = byPath(listing.folders);
    expect(f['user.carol.Trash']).toMatchObject({ delimiter: '.', status: { messages: 4 } });
    expect(f['user.bob.Sent']).toMatchObject({ status: { messages: 1 } });
    expect(f['user.bob.Sent']!.specialUse).toBeUndefined();
    // bob's \\Sent attribute would outrank alice's folder found by name: it is not hers, so hers keeps the use.
    expect(f['INBOX.Sent']!.specialUse).toBe('\\Sent');
    expect(f['user.carol.Trash']!.specialUse).toBeUndefined();
    expect(f['Sent Items']!.specialUse).toBeUndefined();
  });

  it('a server that advertises RETURN options but refuses them is listed plainly, then asked STATUS', async () => {
    const { conn, sent } = session('IMAP4REV1 NAMESPACE LIST-EXTENDED LIST-STATUS', {
      NOOP: ok(),
      NAMESPACE: ok('* NAMESPACE NIL NIL NIL'),
      // A line sent before the refusal must not list the folder twice.
      'LIST "" "*" RETURN': { status: 'BAD', lines: ['* LIST () "/" INBOX'] },
      'LIST "" "*"': ok('* LIST () "/" INBOX'),
      STATUS: ok('* STATUS "INBOX" (MESSAGES 1)'),
    });
    const listing = await listFolders(conn, ['MESSAGES'], true);
    expect(sent.slice(2)).toEqual(['LIST "" "*" RETURN (CHILDREN SUBSCRIBED STATUS (MESSAGES))', 'LIST "" "*"', 'STATUS "INBOX" (MESSAGES)']);
    expect(listing.folders).toMatchObject([{ path: 'INBOX', status: { messages: 1 } }]);
    // NAMESPACE NIL: no personal namespace known, the delimiter falls back to ".", as imapflow's does.
    expect(listing.namespace).toEqual({ prefix: '', delimiter: '.' });
  });

  it('a refused LIST fails the listing with the server\'s status', async () => {
    const { conn } = session('IMAP4REV1 NAMESPACE UNSELECT', { UNSELECT: ok(), NAMESPACE: ok(), 'LIST "" "*"': { status: 'NO', lines: [] } });
    await expect(listFolders(conn, ['MESSAGES'])).rejects.toMatchObject({ responseStatus: 'NO' });
  });
});
