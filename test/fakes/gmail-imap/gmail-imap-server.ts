import type { AddressInfo } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { decodeMutf7, encodeMutf7 } from '../../../electron/imap/mutf7.ts';
import { parseImapDate } from '../../../electron/imap/fetch-parse.ts';
import { GmailAccount, type GmailFolder } from './gmail-account.ts';
import { fetchItems, fetchResponse, labelsIn, numbered, search, select, type Numbered } from './gmail-fetch.ts';
import { astring, CommandReader, parseCommand, quote, SyntaxError, type Arg, type Command } from './wire.ts';

/** A running fake Gmail IMAP server (implicit TLS on 127.0.0.1). */
export interface GmailImapFake {
  readonly port: number;
  /** The account of a user, to seed and to read back. */
  account(user: string): GmailAccount;
  /** APPEND commands answered OK, per user (to prove "one APPEND per message"). */
  appends(user: string): number;
  /** Whole message bodies (BODY[]) served, per user (to prove "each message read once"). */
  bodiesServed(user: string): number;
  close(): Promise<void>;
}

// What Gmail advertises (its documented handshake), limited to what this fake implements.
const CAPABILITY = 'IMAP4rev1 UNSELECT LITERAL+ ID NAMESPACE CHILDREN X-GM-EXT-1 UIDPLUS SPECIAL-USE AUTH=PLAIN SASL-IR APPENDLIMIT=35651584';

/** Starts the fake with these users; certificate and key for TLS (from the test CA). */
export async function startGmailImap(users: readonly { user: string; password: string }[], tls: { cert: string; key: string }): Promise<GmailImapFake> {
  const accounts = new Map(users.map((u) => [u.user, { password: u.password, account: new GmailAccount(), appends: 0, bodies: 0 }]));
  const server = createServer({ cert: tls.cert, key: tls.key }, (socket) => new Session(socket, accounts).start());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    account: (user) => accounts.get(user)!.account,
    appends: (user) => accounts.get(user)!.appends,
    bodiesServed: (user) => accounts.get(user)!.bodies,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

type Accounts = Map<string, { password: string; account: GmailAccount; appends: number; bodies: number }>;

class Session {
  private readonly socket: TLSSocket;
  private readonly accounts: Accounts;
  private user: { password: string; account: GmailAccount; appends: number; bodies: number } | null = null;
  private selected: { folder: GmailFolder; writable: boolean } | null = null;
  private readonly reader: CommandReader;
  private saslTag: string | null = null;

  constructor(socket: TLSSocket, accounts: Accounts) {
    this.socket = socket;
    this.accounts = accounts;
    this.reader = new CommandReader(() => this.write('+ go ahead\r\n'));
  }

  start(): void {
    this.socket.on('error', () => undefined);
    this.write(`* OK [CAPABILITY ${CAPABILITY}] Gimap ready for requests from 127.0.0.1\r\n`);
    this.socket.on('data', (chunk: Buffer) => {
      for (const { line, literals } of this.reader.push(chunk)) this.handle(line, literals);
    });
  }

  private write(text: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(text);
  }

  private handle(line: string, literals: Buffer[]): void {
    if (this.saslTag !== null) {
      // The client's answer to the "+" of AUTHENTICATE PLAIN without an initial response.
      const tag = this.saslTag;
      this.saslTag = null;
      this.write(`${tag} ${this.safely(() => this.plain(line))}\r\n`);
      return;
    }
    let command: Command;
    try {
      command = parseCommand(line, literals);
    } catch (e) {
      this.write(`${/^\S+/.exec(line)?.[0] ?? '*'} BAD ${(e as Error).message}\r\n`);
      return;
    }
    const answer = this.safely(() => this.run(command));
    if (answer === '') return;
    this.write(`${command.tag} ${answer}\r\n`);
    if (command.verb === 'LOGOUT') this.socket.end();
  }

  // A command's tagged answer text; a thrown error becomes NO (or BAD for a syntax error).
  private safely(run: () => string): string {
    try {
      return run();
    } catch (e) {
      return `${e instanceof SyntaxError ? 'BAD' : 'NO'} ${(e as Error).message}`;
    }
  }

  // Runs one command; returns the tagged answer after the status word's tag (e.g. "OK Success").
  private run(c: Command): string {
    const a = c.args;
    switch (c.verb) {
      case 'CAPABILITY':
        this.write(`* CAPABILITY ${CAPABILITY}\r\n`);
        return 'OK Success';
      case 'NOOP':
      case 'CHECK':
        return 'OK Success';
      case 'LOGOUT':
        this.write('* BYE LOGOUT Requested\r\n');
        return 'OK 73 good day (Success)';
      case 'ID':
        this.write('* ID ("name" "GImap" "vendor" "Google, Inc." "support-url" "http://support.google.com/mail")\r\n');
        return 'OK Success';
      case 'LOGIN':
        return this.login(astring(a[0], 'a user name'), astring(a[1], 'a password'));
      case 'AUTHENTICATE':
        if (astring(a[0], 'a mechanism').toUpperCase() !== 'PLAIN') throw new Error('Unsupported mechanism (Failure)');
        if (a[1]) return this.plain(astring(a[1], 'an initial response'));
        this.saslTag = c.tag;
        this.write('+ \r\n');
        return '';
    }
    const account = this.requireAuth();
    switch (c.verb) {
      case 'NAMESPACE':
        this.write('* NAMESPACE (("" "/")) NIL NIL\r\n');
        return 'OK Success';
      case 'LIST':
      case 'LSUB':
        return this.list(account, c.verb, a);
      case 'STATUS':
        return this.status(account, a);
      case 'SELECT':
      case 'EXAMINE':
        return this.open(account, c.verb, astring(a[0], 'a mailbox'));
      case 'CREATE': {
        const name = decodeMutf7(astring(a[0], 'a mailbox'));
        if (account.folders.has(name)) throw new Error('[ALREADYEXISTS] Duplicate folder name (Failure)');
        if (name.startsWith('[Gmail]')) throw new Error('[CANNOT] Folder name is reserved (Failure)');
        account.addFolder(name, null, false);
        return 'OK Success';
      }
      case 'APPEND':
        return this.append(account, a);
      case 'UNSELECT':
      case 'CLOSE':
        this.selected = null;
        return 'OK Returned to authenticated state. (Success)';
    }
    const sel = this.selected;
    if (!sel) throw new Error('Command not valid in authenticated state');
    const all = numbered(sel.folder);
    const byUid = c.verb.startsWith('UID ');
    const verb = c.verb.replace(/^UID /, '');
    switch (verb) {
      case 'FETCH': {
        const items = fetchItems(a[1], byUid);
        const chosen = select(all, astring(a[0], 'a sequence set'), byUid);
        if (items.some((i) => /^BODY(\.PEEK)?\[\]$/.test(i))) this.user!.bodies += chosen.length;
        for (const n of chosen) for (const b of fetchResponse(n, items, sel.writable)) this.write(b);
        return 'OK Success';
      }
      case 'SEARCH': {
        const hits = search(all, a);
        this.write(`* SEARCH${hits.map((n) => ` ${byUid ? n.uid : n.seq}`).join('')}\r\n`);
        return 'OK SEARCH completed (Success)';
      }
      case 'STORE':
        return this.store(account, sel, select(all, astring(a[0], 'a sequence set'), byUid), a, byUid);
      case 'COPY': {
        const target = account.folders.get(decodeMutf7(astring(a[1], 'a mailbox')));
        if (!target) throw new Error('[TRYCREATE] No folder (Failure)');
        const label = account.labelOfFolder(target.name);
        const moved = select(all, astring(a[0], 'a sequence set'), byUid);
        for (const n of moved) if (label) account.setLabels(n.m, [label], true);
        const uids = moved.map((n) => account.uidIn(target, n.m));
        return `OK [COPYUID ${sel.folder.uidValidity} ${moved.map((n) => n.uid).join(',')} ${uids.join(',')}] (Success)`;
      }
      case 'EXPUNGE': {
        const label = account.labelOfFolder(sel.folder.name);
        for (const n of all.filter((x) => x.m.flags.has('\\Deleted')).reverse()) {
          if (label) account.setLabels(n.m, [label], false);
          else account.setLabels(n.m, ['\\Trash'], true);
          this.write(`* ${n.seq} EXPUNGE\r\n`);
        }
        return 'OK Success';
      }
    }
    throw new SyntaxError(`Unknown command ${c.verb}`);
  }

  private requireAuth(): GmailAccount {
    if (!this.user) throw new Error('Command not valid in non-authenticated state');
    return this.user.account;
  }

  private login(user: string, password: string): string {
    const found = this.accounts.get(user);
    if (!found || found.password !== password) throw new Error('[AUTHENTICATIONFAILED] Invalid credentials (Failure)');
    this.user = found;
    return `OK [CAPABILITY ${CAPABILITY}] ${user} authenticated (Success)`;
  }

  private plain(response: string): string {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(response)) throw new SyntaxError('Bad base64');
    const [, user, password] = Buffer.from(response, 'base64').toString('utf8').split('\0');
    return this.login(user ?? '', password ?? '');
  }

  private list(account: GmailAccount, verb: string, a: readonly Arg[]): string {
    // LIST-EXTENDED shapes: an optional selection list first, an optional RETURN (…) last; both ignored.
    let args = a[0]?.kind === 'list' ? a.slice(1) : [...a];
    if (args.length === 4 && astring(args[2], 'RETURN').toUpperCase() === 'RETURN') args = args.slice(0, 2);
    if (args.length !== 2) throw new SyntaxError(`${verb} takes a reference and a pattern`);
    const pattern = astring(args[1], 'a mailbox pattern');
    if (pattern === '') {
      this.write(`* ${verb} (\\Noselect) "/" ""\r\n`);
      return 'OK Success';
    }
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^/]*')}$`, 'i');
    for (const f of [...account.folders.values()].sort((x, y) => x.name.localeCompare(y.name))) {
      if (account.hiddenFromImap.has(f.name)) continue;
      const wire = encodeMutf7(f.name);
      if (!re.test(wire)) continue;
      const children = [...account.folders.keys()].some((n) => n.startsWith(`${f.name}/`));
      const attrs = [f.noselect ? '\\Noselect' : null, children ? '\\HasChildren' : '\\HasNoChildren', f.specialUse].filter(Boolean);
      this.write(`* ${verb} (${attrs.join(' ')}) "/" ${quote(wire)}\r\n`);
    }
    return 'OK Success';
  }

  private folder(account: GmailAccount, arg: Arg | undefined): GmailFolder {
    const name = decodeMutf7(astring(arg, 'a mailbox'));
    const f = account.folders.get(name.toUpperCase() === 'INBOX' ? 'INBOX' : name);
    if (!f || f.noselect || account.hiddenFromImap.has(f.name)) throw new Error(`[NONEXISTENT] Unknown Mailbox: ${name} (Failure)`);
    return f;
  }

  private status(account: GmailAccount, a: readonly Arg[]): string {
    const f = this.folder(account, a[0]);
    const items = a[1]?.kind === 'list' ? a[1].items.map((i) => astring(i, 'a STATUS item').toUpperCase()) : [];
    if (items.length === 0) throw new SyntaxError('STATUS needs items');
    const values: Record<string, number> = { MESSAGES: f.uids.size, UIDNEXT: f.uidNext, UIDVALIDITY: f.uidValidity, UNSEEN: [...f.uids.values()].filter((m) => !m.flags.has('\\Seen')).length, RECENT: 0 };
    for (const i of items) if (values[i] === undefined) throw new SyntaxError(`Unknown STATUS item ${i}`);
    this.write(`* STATUS ${quote(encodeMutf7(f.name))} (${items.map((i) => `${i} ${values[i]}`).join(' ')})\r\n`);
    return 'OK Success';
  }

  private open(account: GmailAccount, verb: string, name: string): string {
    this.selected = null;
    const f = this.folder(account, { kind: 'atom', value: name });
    const writable = verb === 'SELECT';
    this.selected = { folder: f, writable };
    this.write('* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing)\r\n');
    this.write(`* OK [PERMANENTFLAGS (${writable ? '\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing \\*' : ''})] Flags permitted.\r\n`);
    this.write(`* OK [UIDVALIDITY ${f.uidValidity}] UIDs valid.\r\n* ${f.uids.size} EXISTS\r\n* 0 RECENT\r\n* OK [UIDNEXT ${f.uidNext}] Predicted next UID.\r\n`);
    return `OK [${writable ? 'READ-WRITE' : 'READ-ONLY'}] ${name} selected. (Success)`;
  }

  private append(account: GmailAccount, a: readonly Arg[]): string {
    const f = this.folder(account, a[0]);
    let i = 1;
    const flags = a[i]?.kind === 'list' ? (a[i++] as Extract<Arg, { kind: 'list' }>).items.map((x) => astring(x, 'a flag')) : [];
    const maybeDate = a[i];
    let date = new Date();
    if (maybeDate?.kind === 'string' && a[i + 1]) {
      const parsed = parseImapDate(maybeDate.value.toString('latin1'));
      if (!parsed) throw new SyntaxError('Bad date-time');
      date = parsed;
      i++;
    }
    const body = a[i];
    if (body?.kind !== 'string' || a[i + 1]) throw new SyntaxError('APPEND takes one message literal (no MULTIAPPEND)');
    const label = account.labelOfFolder(f.name);
    const m = account.add(Buffer.from(body.value), label ? [label] : [], flags, date);
    this.user!.appends++;
    return `OK [APPENDUID ${f.uidValidity} ${account.uidIn(f, m)}] (Success)`;
  }

  private store(account: GmailAccount, sel: { folder: GmailFolder; writable: boolean }, targets: readonly Numbered[], a: readonly Arg[], byUid: boolean): string {
    if (!sel.writable) throw new Error('STORE attempt on READ-ONLY folder (Failure)');
    const what = /^([+-]?)(FLAGS|X-GM-LABELS)(\.SILENT)?$/i.exec(astring(a[1], 'a STORE item'));
    if (!what) throw new SyntaxError('Expected [+-]FLAGS or [+-]X-GM-LABELS');
    const [, sign, item, silent] = what;
    for (const n of targets) {
      if (item!.toUpperCase() === 'X-GM-LABELS') {
        const labels = labelsIn(a[2]);
        if (sign === '') account.setLabels(n.m, [...n.m.labels].filter((l) => !labels.includes(l)), false);
        account.setLabels(n.m, labels, sign !== '-');
      } else {
        const flags = a[2]?.kind === 'list' ? a[2].items.map((x) => astring(x, 'a flag')) : [astring(a[2], 'a flag')];
        if (sign === '') n.m.flags.clear();
        for (const fl of flags) {
          if (sign === '-') n.m.flags.delete(fl);
          else n.m.flags.add(fl);
        }
        account.flagsChanged(n.m);
      }
      if (!silent) {
        const items = item!.toUpperCase() === 'X-GM-LABELS' ? ['X-GM-LABELS'] : ['FLAGS'];
        for (const b of fetchResponse(n, byUid ? ['UID', ...items] : items, sel.writable)) this.write(b);
      }
    }
    return 'OK Success';
  }
}

