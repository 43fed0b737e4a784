// What the server alone needs for a delta pass (issue 11's "≤1 s" bound): a minimal raw client doing
// only the IMAP commands a flags-and-expunges delta needs, timed per command, after ten changes made
// the way delta.ts makes them. Per round: the source's mark (EXAMINE with QRESYNC), ten changes on the
// source (8 flag changes, 2 expunges), then, timed: both logins at once, source `ENABLE QRESYNC` +
// `EXAMINE INBOX (QRESYNC (…))` beside the target's `SELECT INBOX`, then one pipelined batch of
// `UID STORE … FLAGS.SILENT` on the target for the changed UIDs (same UIDs: the target was filled in order).
// Run: node bench/migrate/delta-floor.ts --reuse TAG [--rounds N]   (a delta.ts run's users; same pair)
import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { dovecotCpu, DST_IMAPS, PAIR, PASSWORD, SRC_IMAPS } from './maildir-pair.ts';

const arg = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const tag = arg('--reuse');
if (!tag) throw new Error('--reuse TAG: the users of an earlier delta.ts run');
const ROUNDS = Number(arg('--rounds') ?? 3);
const ca = readFileSync(join(PAIR, 'ca.pem'));
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

// One IMAP session: commands sent at once (pipelined), each resolving with its untagged lines and tagged line.
class Session {
  private buffer = '';
  private seq = 0;
  private readonly waiting = new Map<string, { lines: string[]; done: (r: { lines: string[]; tagged: string }) => void }>();
  private untagged: string[] = [];
  private greeted!: () => void;
  readonly greeting = new Promise<void>((resolve) => (this.greeted = resolve));
  private readonly socket: TLSSocket;
  private constructor(socket: TLSSocket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let nl = this.buffer.indexOf('\r\n'); nl >= 0; nl = this.buffer.indexOf('\r\n')) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 2);
        const t = /^(\S+) (OK|NO|BAD)/.exec(line);
        const w = t ? this.waiting.get(t[1]!) : undefined;
        if (w) {
          this.waiting.delete(t![1]!);
          w.done({ lines: this.untagged, tagged: line });
          this.untagged = [];
        } else if (line.startsWith('* OK') && this.seq === 0) this.greeted();
        else this.untagged.push(line);
      }
    });
  }
  static async open(port: number, user: string): Promise<Session> {
    const s = new Session(connect({ host: 'localhost', port, ca, servername: 'localhost' }));
    await s.greeting;
    const login = await s.send(`AUTHENTICATE PLAIN ${Buffer.from(`\0${user}\0${PASSWORD}`).toString('base64')}`);
    if (!/ OK/.test(login.tagged)) throw new Error(`login ${user}: ${login.tagged}`);
    return s;
  }
  send(command: string): Promise<{ lines: string[]; tagged: string }> {
    const tagName = `a${++this.seq}`;
    return new Promise((done) => {
      this.waiting.set(tagName, { lines: [], done });
      this.socket.write(`${tagName} ${command}\r\n`);
    });
  }
  close(): void {
    this.socket.end('z LOGOUT\r\n');
  }
}

const timed = async <T>(p: Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await p;
  return [v, (performance.now() - t) / 1000];
};

async function main(): Promise<void> {
  const source = `delta-${tag}@example.test`;
  const target = `delta-mailroom-${tag}@example.test`;
  const base = 900 + (Math.floor(Date.now() / 1000) % 500);
  for (let r = 0; r < ROUNDS; r++) {
    const s = await Session.open(SRC_IMAPS, source);
    await s.send('ENABLE QRESYNC');
    const ex = await s.send('EXAMINE INBOX');
    const v = Number(/UIDVALIDITY (\d+)/.exec(ex.lines.join('\n'))![1]);
    const m = /HIGHESTMODSEQ (\d+)/.exec(ex.lines.join('\n'))![1]!;
    const exists = Number(/\* (\d+) EXISTS/.exec(ex.lines.join('\n'))![1]);
    // Ten changes, as delta.ts's flags-expunges round (other UIDs each round).
    await s.send('SELECT INBOX');
    const pick = (k: number): number => Math.floor((exists / 11) * k) + base + 2 * r;
    const changes = ['+FLAGS (\\Flagged)', '-FLAGS (\\Seen)', '+FLAGS (\\Answered)', '+FLAGS ($Work)', '+FLAGS ($Later)', '+FLAGS (\\Flagged \\Answered)', '-FLAGS (\\Seen)', '+FLAGS ($Done)'];
    for (const [i, c] of changes.entries()) await s.send(`UID STORE ${pick(i < 5 ? i + 1 : i + 3)} ${c}`);
    await s.send(`UID STORE ${pick(6)},${pick(7)} +FLAGS.SILENT (\\Deleted)`);
    await s.send(`UID EXPUNGE ${pick(6)},${pick(7)}`);
    s.close();

    const cpu0 = dovecotCpu('src') + dovecotCpu('dst');
    const t0 = performance.now();
    const [[src, srcLogin], [dst, dstLogin]] = await Promise.all([timed(Session.open(SRC_IMAPS, source)), timed(Session.open(DST_IMAPS, target))]);
    const [[qresync, examine], [, select]] = await Promise.all([
      timed(Promise.all([src.send('ENABLE QRESYNC'), src.send(`EXAMINE INBOX (QRESYNC (${v} ${m}))`)]).then((r) => r[1])),
      timed(dst.send('SELECT INBOX')),
    ]);
    const changed = qresync.lines.flatMap((l) => {
      const uid = /^\* \d+ FETCH .*\bUID (\d+)/.exec(l)?.[1];
      const flags = /FLAGS \(([^)]*)\)/.exec(l)?.[1];
      return uid && flags !== undefined ? [{ uid, flags: flags.split(' ').filter((x) => x !== '\\Recent').join(' ') }] : [];
    });
    const [, stores] = await timed(Promise.all(changed.map((c) => dst.send(`UID STORE ${c.uid} FLAGS.SILENT (${c.flags})`))));
    const seconds = (performance.now() - t0) / 1000;
    src.close();
    dst.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const serverCpu = dovecotCpu('src') + dovecotCpu('dst') - cpu0;
    process.stdout.write(JSON.stringify({ event: 'floor', round: r, changed: changed.length, vanished: qresync.lines.filter((l) => l.startsWith('* VANISHED')).length, seconds: round3(seconds), loginSeconds: round3(Math.max(srcLogin, dstLogin)), examineSeconds: round3(examine), selectSeconds: round3(select), storeSeconds: round3(stores), serverCpuSeconds: round3(serverCpu) }) + '\n');
  }
}

await main();
