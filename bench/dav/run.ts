// Calendar and contact copy benchmark, Radicale → Radicale on loopback: N events (in three time zones,
// series with exceptions, tasks) and M contacts (every third with a photo) copied by `mailroom migrate dav`
// and, in the same run from the same source, by Debian's vdirsyncer (discover + sync) into a second,
// empty account. Then a no-change re-run of each. Prints JSON lines: items per second, wall seconds and
// peak RSS for each tool, and the ratios. A third line is the server's floor: the same items PUT one
// after another by the plainest client (bench/dav/floor.ts) into a fourth account, nothing read back.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateContacts, generateEvents, seedCollection } from '../../test/support/dav-corpus.ts';
import { startRadicale, storedItems } from '../../test/support/radicale.ts';
import { sequentialPutFloor } from './floor.ts';

const events = Number(process.env['BENCH_EVENTS'] ?? 10_000);
const contacts = Number(process.env['BENCH_CONTACTS'] ?? 5_000);
const REPO = join(import.meta.dirname, '../..');
// The CLI as installed (package.json "bin": tsc's output, run through its shebang launcher), as bench/migrate runs it;
// MAILROOM_BENCH_ENTRY names another entry taking the same arguments, run with `node` (e.g. electron/cli/main.ts).
const ENTRY = process.env['MAILROOM_BENCH_ENTRY'] ?? join(REPO, 'dist/electron/cli/main.js');
if (!process.env['MAILROOM_BENCH_ENTRY']) {
  execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-b'], { cwd: REPO, stdio: 'inherit' });
  chmodSync(ENTRY, 0o755);
}
const [mailroomCommand, entryArgs] = process.env['MAILROOM_BENCH_ENTRY'] ? [process.execPath, [ENTRY]] : [ENTRY, []];
const users = { source: { user: 'alice', password: 'alice-pw' }, mailroom: { user: 'bob', password: 'bob-pw' }, peer: { user: 'carol', password: 'carol-pw' }, floor: { user: 'dan', password: 'dan-pw' } };

function line(value: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: 'dav', ...value }) + '\n');
}

/** Runs a command under GNU time; returns wall seconds and peak RSS in MB. */
function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): { seconds: number; maxRssMb: number; code: number | null; stderr: string } {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', command, ...args], { env, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const rss = /MAXRSS (\d+)/.exec(run.stderr ?? '')?.[1];
  return { seconds, maxRssMb: rss ? Math.round(Number(rss) / 1024) : -1, code: run.status, stderr: (run.stderr ?? '').slice(-400) };
}

const server = await startRadicale(Object.values(users));
const work = mkdtempSync(join(tmpdir(), 'mailroom-bench-dav-'));
try {
  const split = Math.ceil(events / 3);
  const seeded = performance.now();
  const corpus = [
    { kind: 'calendar' as const, name: 'work', displayName: 'Work', components: ['VEVENT', 'VTODO'], items: generateEvents(split, 'Europe/Berlin', 'work') },
    { kind: 'calendar' as const, name: 'home', displayName: 'Home', components: ['VEVENT', 'VTODO'], items: generateEvents(split, 'America/New_York', 'home') },
    { kind: 'calendar' as const, name: 'travel', displayName: 'Travel', components: ['VEVENT', 'VTODO'], items: generateEvents(events - 2 * split, 'Australia/Sydney', 'travel') },
    { kind: 'addressbook' as const, name: 'contacts', displayName: 'Contacts', items: generateContacts(contacts) },
  ];
  for (const c of corpus) await seedCollection(server, 'alice', 'alice-pw', c);
  const items = events + contacts;
  line({ event: 'corpus', events, contacts, entry: ENTRY.replace(`${REPO}/`, ''), seedSeconds: +((performance.now() - seeded) / 1000).toFixed(1) });

  const url = (user: string): string => server.url.replace('http://', `http://${user}@`);
  const mailroomEnv = { ...process.env, MAILROOM_HOME: join(work, 'home'), MAILROOM_SOURCE_PASSWORD: users.source.password, MAILROOM_TARGET_PASSWORD: users.mailroom.password };
  const mailroomArgs = [...entryArgs, '--json', 'migrate', 'dav', '--source', url('alice'), '--target', url('bob'), '--state', join(work, 'state.db')];
  const first = timed(mailroomCommand, mailroomArgs, mailroomEnv);
  const rerun = timed(mailroomCommand, mailroomArgs, mailroomEnv);
  const landed = ['work', 'home', 'travel', 'contacts'].reduce((n, c) => n + storedItems(server, 'bob', c).length, 0);
  line({ event: 'result', tool: 'mailroom', ok: first.code === 0 && rerun.code === 0 && landed === items, landed, firstSeconds: +first.seconds.toFixed(2), itemsPerSecond: Math.round(items / first.seconds), rerunSeconds: +rerun.seconds.toFixed(2), maxRssMb: first.maxRssMb, ...(first.code === 0 ? {} : { stderr: first.stderr }) });

  const peer = spawnSync('sh', ['-c', 'command -v vdirsyncer'], { encoding: 'utf8' }).stdout.trim();
  if (!peer) {
    line({ event: 'skipped', tool: 'vdirsyncer', reason: 'not installed: apt-get install vdirsyncer' });
  } else {
    const storage = (name: string, type: 'caldav' | 'carddav', u: { user: string; password: string }): string =>
      `[storage ${name}]\ntype = "${type}"\nurl = "${server.url}"\nusername = "${u.user}"\npassword = "${u.password}"\n`;
    const config = join(work, 'vdirsyncer.conf');
    writeFileSync(
      config,
      `[general]\nstatus_path = "${join(work, 'vdirsyncer-status')}/"\n\n` +
        `[pair cal]\na = "cal_a"\nb = "cal_b"\ncollections = ["from a"]\nconflict_resolution = "a wins"\n\n[pair card]\na = "card_a"\nb = "card_b"\ncollections = ["from a"]\nconflict_resolution = "a wins"\n\n` +
        storage('cal_a', 'caldav', users.source) + storage('cal_b', 'caldav', users.peer) + storage('card_a', 'carddav', users.source) + storage('card_b', 'carddav', users.peer),
      { mode: 0o600 },
    );
    const env = { ...process.env, HOME: work };
    // vdirsyncer asks before it creates each missing collection on the b side: the answers are yes.
    const discover = timed('vdirsyncer', ['-c', config, 'discover'], env, 'y\n'.repeat(20));
    const sync = timed('vdirsyncer', ['-c', config, 'sync'], env);
    const resync = timed('vdirsyncer', ['-c', config, 'sync'], env);
    const peerLanded = ['work', 'home', 'travel', 'contacts'].reduce((n, c) => {
      try {
        return n + storedItems(server, 'carol', c).length;
      } catch {
        return n;
      }
    }, 0);
    const peerFirst = discover.seconds + sync.seconds;
    line({ event: 'result', tool: 'vdirsyncer', ok: discover.code === 0 && sync.code === 0 && peerLanded === items, landed: peerLanded, firstSeconds: +peerFirst.toFixed(2), itemsPerSecond: Math.round(items / peerFirst), rerunSeconds: +resync.seconds.toFixed(2), maxRssMb: Math.max(discover.maxRssMb, sync.maxRssMb), ...(sync.code === 0 ? {} : { stderr: sync.stderr }) });
    line({ event: 'ratio', firstPass: +(peerFirst / first.seconds).toFixed(2), rerun: +(resync.seconds / rerun.seconds).toFixed(2), goal: 'firstPass >= 3 and rerun >= 1' });
  }

  // The floor: what Radicale gives the plainest client, in this process (no start-up, no discovery, no read-back).
  const floors = [];
  for (const c of corpus) floors.push({ name: c.name, ...(await sequentialPutFloor(server, users.floor.user, users.floor.password, c)) });
  const floorSeconds = floors.reduce((n, f) => n + f.seconds, 0);
  line({ event: 'result', tool: 'floor', landed: corpus.reduce((n, c) => n + storedItems(server, users.floor.user, c.name).length, 0), firstSeconds: +floorSeconds.toFixed(2), itemsPerSecond: Math.round(items / floorSeconds), medianMsByFill: Object.fromEntries(floors.map((f) => [f.name, f.medianMsByFill])) });
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
