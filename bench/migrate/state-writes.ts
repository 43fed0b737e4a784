// The state database's share of a corpus first pass, without servers: the write-ahead, settle and
// content-mark sequence of `migrate` replayed on a fresh --state file through the engine's own StateStore
// and ContentLedger. Run (under mr-bench; `migrate` runs on V8's baseline tiers, main.ts):
//   node --no-maglev --no-turbofan bench/migrate/state-writes.ts [--rounds N] [--file F] [--pragma "name = value"]... [--page-sizes 4096,8192]
// Prints one JSON line per round (CPU ms of the replay, commits); count its syscalls with
// `strace -f -c -e trace=pwrite64,pread64,fdatasync,fsync node bench/migrate/state-writes.ts`.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openCurrentStateDatabase } from '../../electron/db/state-database.ts';
import { ContentLedger } from '../../electron/migration/content-state.ts';
import { keyFromBody } from '../../electron/migration/message-key.ts';
import { StateStore, type MessageRef } from '../../electron/migration/state-store.ts';
import { loadCorpus } from '../../test/support/migration-corpus.ts';

const arg = (name: string, fallback: string): string => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : fallback);
const ROUNDS = Number(arg('--rounds', '1'));
const FILE = arg('--file', `/tmp/mailroom-state-writes-${process.pid}.db`);
// --page-sizes N,M,…: the file created with that page size (SQLite's default 4096) before the engine opens it, one per round in turn.
const PAGE_SIZES = arg('--page-sizes', '0').split(',').map(Number);
const PRAGMAS = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--pragma' ? [a] : []));
// The copy's shape (folder-copier.ts, content-verify.ts): 50 messages a MULTIAPPEND, 6 folders at once,
// an early content window of 300 target UIDs taken once half of it is settled.
const BATCH = 50;
const WORKERS = 6;
const WINDOW = 300;

interface Message {
  readonly folder: string;
  readonly uid: number;
  readonly key: string;
  readonly size: number;
  readonly date: number;
  readonly sha1: string;
}

const byFolder = new Map<string, Message[]>();
for (const m of loadCorpus()) {
  const list = byFolder.get(m.folder) ?? [];
  const date = m.internalDate.getTime();
  list.push({ folder: m.folder, uid: list.length + 1, key: keyFromBody(m.content, date, m.content.length) ?? `new:${list.length + 1}`, size: m.content.length, date, sha1: createHash('sha1').update(m.content).digest('hex') });
  byFolder.set(m.folder, list);
}
const folders = [...byFolder.keys()].sort((a, b) => byFolder.get(b)!.length - byFolder.get(a)!.length);

for (let round = 0; round < ROUNDS; round++) {
  for (const f of [FILE, `${FILE}-wal`, `${FILE}-shm`]) rmSync(f, { force: true });
  const pageSize = PAGE_SIZES[round % PAGE_SIZES.length]!;
  if (pageSize > 0) {
    const raw = new Database(FILE);
    raw.pragma(`page_size = ${pageSize}`);
    raw.exec('CREATE TABLE page_size_probe (a); DROP TABLE page_size_probe;');
    raw.close();
  }
  const db = await openCurrentStateDatabase(FILE);
  for (const p of PRAGMAS) db.pragma(p);
  const jobId = createHash('sha256').update(`${round}`).digest('hex').slice(0, 16);
  const store = new StateStore(db, jobId);
  const ledger = new ContentLedger(store);
  store.ensureJob('imaps://corpus@localhost', 'imaps://target@localhost', new Date().toISOString());
  const started = process.cpuUsage();
  let commits = 0;
  // One worker per folder at a time; each has at most one batch answered-but-unsettled when it writes the next one ahead (pipelined MULTIAPPEND).
  const queue = [...folders];
  const active: { folder: string; rows: Message[]; at: number; inFlight: (MessageRef & { targetUid: number })[] | null; nextUid: number; checkedTo: number }[] = [];
  const settle = (w: (typeof active)[number]): void => {
    if (!w.inFlight) return;
    store.settle(w.inFlight, 'done', 1, w.inFlight.map((r) => r.targetUid));
    commits++;
    w.inFlight = null;
    // The early content check, asked after every upload answer.
    if (ledger.countAfter(w.folder, w.checkedTo, WINDOW) >= WINDOW / 2) {
      const rows = ledger.toCheckAfter(w.folder, w.checkedTo, WINDOW);
      w.checkedTo = rows.at(-1)!.targetUid;
      ledger.markChecked(rows);
      commits++;
    }
  };
  while (queue.length > 0 || active.length > 0) {
    while (active.length < WORKERS && queue.length > 0) {
      const folder = queue.shift()!;
      const rows = byFolder.get(folder)!;
      store.insertPending(rows.map((m) => ({ sourcePath: folder, uidValidity: 1, uid: m.uid, key: `new:${m.uid}`, size: m.size, internalDate: m.date, targetPath: folder })));
      commits++;
      store.countIn(folder, 'appending');
      store.firstPending(folder, 1);
      store.pendingAfter(folder, 1, 0, 5000);
      active.push({ folder, rows, at: 0, inFlight: null, nextUid: 1, checkedTo: 0 });
    }
    for (const w of [...active]) {
      if (w.at < w.rows.length) {
        const batch = w.rows.slice(w.at, w.at + BATCH).map((m) => ({ sourcePath: w.folder, uidValidity: 1, uid: m.uid, key: m.key, contentSha1: m.sha1, targetUid: w.nextUid++ }));
        w.at += batch.length;
        store.setState(batch, 'appending', w.at, true);
        commits++;
        settle(w);
        w.inFlight = batch;
        continue;
      }
      settle(w);
      // The folder's end: its state counted, its folder row saved, the rest of its copies checked.
      store.folderStates(w.folder);
      store.saveFolder({ sourcePath: w.folder, targetPath: w.folder, specialUse: null, uidValidity: 1, uidNext: w.rows.length + 1, messages: w.rows.length, status: 'done', lastError: null });
      for (let rows = ledger.toCheckAfter(w.folder, 0, 1000); rows.length > 0; rows = ledger.toCheckAfter(w.folder, rows.at(-1)!.targetUid, 1000)) {
        ledger.markChecked(rows);
        commits++;
      }
      active.splice(active.indexOf(w), 1);
    }
  }
  store.counts();
  store.folderCounts();
  const cpu = process.cpuUsage(started);
  const pageBytes = db.pragma('page_size', { simple: true });
  const closing = process.cpuUsage();
  db.close();
  const closeCpu = process.cpuUsage(closing);
  process.stdout.write(JSON.stringify({ event: 'state-writes', round, pragmas: PRAGMAS, pageSize: pageBytes, commits, userMs: Math.round(cpu.user / 1000), sysMs: Math.round(cpu.system / 1000), closeMs: Math.round((closeCpu.user + closeCpu.system) / 1000) }) + '\n');
}
for (const f of [FILE, `${FILE}-wal`, `${FILE}-shm`]) rmSync(f, { force: true });
