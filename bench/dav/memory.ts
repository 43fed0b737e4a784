// Peak memory of `mailroom migrate dav` on an address book of large cards: N vCards, each with a PHOTO of
// BENCH_PHOTO_KB kilobytes (default 100), written straight into Radicale's storage folder (seeding by PUT would
// take longer than the copy), then copied by the CLI as installed into a second, empty account under GNU time.
// Prints one JSON line per size in BENCH_SIZES (default "750,1500"): exit code, items landed, wall seconds, peak RSS, load average.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePhotoContacts, seedCollection } from '../../test/support/dav-corpus.ts';
import { startRadicale, storedItems } from '../../test/support/radicale.ts';

const sizes = (process.env['BENCH_SIZES'] ?? '750,1500').split(',').map(Number);
const photoKb = Number(process.env['BENCH_PHOTO_KB'] ?? 100);
const REPO = join(import.meta.dirname, '../..');
const ENTRY = join(REPO, 'dist/electron/cli/main.js');
// BENCH_HEAP_MB runs the entry with that old-space limit instead of its shebang's 256 MB: what the copy keeps alive, not what V8 lets pile up.
const heapMb = process.env['BENCH_HEAP_MB'];
const launch = heapMb ? [process.execPath, '--max-semi-space-size=1', `--max-old-space-size=${heapMb}`, ENTRY] : [ENTRY];
if (!process.env['BENCH_NO_BUILD']) execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-b'], { cwd: REPO, stdio: 'inherit' });
chmodSync(ENTRY, 0o755);

for (const count of sizes) {
  const users = [{ user: 'alice', password: 'alice-pw' }, { user: 'bob', password: 'bob-pw' }];
  const server = await startRadicale(users);
  const work = mkdtempSync(join(tmpdir(), 'mailroom-bench-davmem-'));
  try {
    await seedCollection(server, 'alice', 'alice-pw', { kind: 'addressbook', name: 'contacts', displayName: 'Contacts', items: [] });
    let bytes = 0;
    for (const card of generatePhotoContacts(count, photoKb)) {
      bytes += card.text.length;
      writeFileSync(join(server.storage, 'alice', 'contacts', card.name), card.text);
    }
    const url = (user: string): string => server.url.replace('http://', `http://${user}@`);
    const env = { ...process.env, MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072', MAILROOM_HOME: join(work, 'home'), MAILROOM_SOURCE_PASSWORD: 'alice-pw', MAILROOM_TARGET_PASSWORD: 'bob-pw' };
    const load = loadavg()[0]!.toFixed(1);
    const started = performance.now();
    const run = spawnSync('/usr/bin/time', ['-v', ...launch, '--json', 'migrate', 'dav', '--source', url('alice'), '--target', url('bob'), '--state', join(work, 'state.db')], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1] ?? -1);
    let landed = 0;
    try {
      landed = storedItems(server, 'bob', 'contacts').length;
    } catch {
      landed = 0;
    }
    const error = run.status === 0 ? {} : { stderr: run.stderr.split("\n").filter((l) => !/^\t/.test(l)).slice(0, 14).join(" | ") };
    process.stdout.write(JSON.stringify({ bench: 'dav-memory', contacts: count, photoKb, heapMb: Number(heapMb ?? 256), sourceMb: Math.round(bytes / 1e6), code: run.status, landed, seconds: +seconds.toFixed(1), maxRssMb: Math.round(rssKb / 1024), loadBefore: +load, loadAfter: +loadavg()[0]!.toFixed(1), ...error }) + '\n');
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
