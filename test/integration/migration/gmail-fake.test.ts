import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCert } from '../dns/dns-fixtures.ts';
import { startGmailImap, type GmailImapFake } from '../../fakes/gmail-imap/gmail-imap-server.ts';

// The fake Gmail is itself checked against Google's documented X-GM-EXT-1 behaviour and RFC 3501 syntax.
let fake: GmailImapFake;
let ca: string;

beforeAll(async () => {
  const issued = issueCert('gmail-fake', ['DNS:localhost', 'IP:127.0.0.1']);
  ca = readFileSync(issued.ca, 'utf8');
  fake = await startGmailImap([{ user: 'me@gmail.test', password: 'pw' }], { cert: readFileSync(issued.cert, 'utf8'), key: readFileSync(issued.key, 'utf8') });
  const account = fake.account('me@gmail.test');
  account.add(Buffer.from('Message-ID: <one@x>\r\nSubject: one\r\n\r\nhello\r\n'), ['\\Inbox', 'Work', 'Très important']);
  account.add(Buffer.from('Message-ID: <two@x>\r\nSubject: two\r\n\r\nworld\r\n'), []);
});
afterAll(async () => fake?.close());

// A raw client: sends one command and returns everything up to its tagged answer.
class Raw {
  private buffer = '';
  private waiter: (() => void) | null = null;
  private readonly socket: TLSSocket;
  private constructor(socket: TLSSocket) {
    this.socket = socket;
    socket.on('data', (c: Buffer) => {
      this.buffer += c.toString('utf8');
      this.waiter?.();
    });
  }
  static async open(): Promise<{ raw: Raw; greeting: string }> {
    const socket = connect({ host: '127.0.0.1', port: fake.port, ca, servername: 'localhost' });
    const raw = new Raw(socket);
    const greeting = await raw.until(/\r\n/);
    return { raw, greeting };
  }
  async until(re: RegExp): Promise<string> {
    while (!re.test(this.buffer)) await new Promise<void>((r) => (this.waiter = r));
    const out = this.buffer;
    this.buffer = '';
    return out;
  }
  send(tag: string, text: string): Promise<string> {
    this.socket.write(`${tag} ${text}\r\n`);
    return this.until(new RegExp(`^${tag} (OK|NO|BAD)[^\r]*\r\n`, 'm'));
  }
  close(): void {
    this.socket.destroy();
  }
}

describe('fake Gmail IMAP (X-GM-EXT-1)', () => {
  it('advertises X-GM-EXT-1, lists the [Gmail] special-use folders and labels in modified UTF-7', async () => {
    const { raw, greeting } = await Raw.open();
    expect(greeting).toMatch(/^\* OK \[CAPABILITY [^\]]*X-GM-EXT-1/);
    expect(await raw.send('a1', 'LOGIN me@gmail.test pw')).toMatch(/a1 OK/);
    const list = await raw.send('a2', 'LIST "" "*"');
    expect(list).toContain('* LIST (\\HasNoChildren \\All) "/" "[Gmail]/All Mail"');
    expect(list).toContain('* LIST (\\Noselect \\HasChildren) "/" "[Gmail]"');
    expect(list).toContain('"/" "[Gmail]/Sent Mail"');
    expect(list).toContain('"/" "Tr&AOg-s important"');
    raw.close();
  });

  it('shows one message in several label folders with the same X-GM-MSGID; STORE and SEARCH use labels', async () => {
    const { raw } = await Raw.open();
    await raw.send('b1', 'LOGIN me@gmail.test pw');
    await raw.send('b2', 'SELECT "Tr&AOg-s important"');
    const inLabel = /X-GM-MSGID (\d+)/.exec(await raw.send('b3', 'UID FETCH 1:* (X-GM-MSGID)'))![1];
    await raw.send('b4', 'SELECT INBOX');
    const inInbox = await raw.send('b5', 'FETCH 1 (UID X-GM-MSGID X-GM-THRID X-GM-LABELS)');
    expect(inInbox).toContain(`X-GM-MSGID ${inLabel}`);
    expect(inInbox).toMatch(/X-GM-LABELS \(\\Inbox Work "Tr&AOg-s important"\)/);
    expect(await raw.send('b6', 'STORE 1 +X-GM-LABELS ("Muy Importante" \\Important)')).toMatch(/X-GM-LABELS \(\\Inbox Work "Tr&AOg-s important" "Muy Importante" \\Important\)/);
    const status = await raw.send('b7', 'STATUS "Muy Importante" (MESSAGES)');
    expect(status).toContain('* STATUS "Muy Importante" (MESSAGES 1)');
    await raw.send('b8', 'EXAMINE "[Gmail]/All Mail"');
    expect(await raw.send('b9', 'UID SEARCH X-GM-RAW "label:muy-importante in:inbox"')).toMatch(/\* SEARCH 1\r\n/);
    expect(await raw.send('c1', 'UID SEARCH X-GM-RAW "has:nouserlabels"')).toMatch(/\* SEARCH 2\r\n/);
    expect(await raw.send('c2', `UID SEARCH X-GM-MSGID ${inLabel}`)).toMatch(/\* SEARCH 1\r\n/);
    raw.close();
  });

  it('answers BAD to what RFC 3501 forbids, NO to what Gmail refuses', async () => {
    const { raw } = await Raw.open();
    expect(await raw.send('d1', 'SELECT INBOX')).toMatch(/d1 NO/);
    await raw.send('d2', 'LOGIN me@gmail.test pw');
    expect(await raw.send('d3', 'SELECT [Gmail]/All Mail')).toMatch(/d3 (BAD|NO)/);
    await raw.send('d4', 'SELECT INBOX');
    expect(await raw.send('d5', 'FETCH 1 (FLAGS')).toMatch(/d5 BAD/);
    expect(await raw.send('d6', 'FETCH 1 (BODYSTRUCTURE-ISH)')).toMatch(/d6 BAD/);
    expect(await raw.send('d7', 'FETCH 1  (FLAGS)')).toMatch(/d7 BAD/);
    expect(await raw.send('d8', 'UID SEARCH X-GM-RAW "frobnicate:yes"')).toMatch(/d8 BAD/);
    expect(await raw.send('d9', 'CREATE "[Gmail]/Mine"')).toMatch(/d9 NO/);
    expect(await raw.send('e1', 'APPEND INBOX (\\Seen) "not a date" {3+}\r\nabc')).toMatch(/e1 BAD Bad date-time/);
    raw.close();
  });
});
