// DMARC report ingestion benchmark: a backlog of N aggregate reports as stored messages (most small,
// some with thousands of records, gzip and zip attachments), read from files by `mailroom reports ingest`,
// from a real Dovecot mailbox by `mailroom reports ingest --connection` (when run inside
// test/servers/with-servers.sh) and, in the same run on the same files, by Debian's dmarcts-report-parser
// into the machine's MariaDB. Prints JSON lines: reports per minute and peak RSS for each path and tool, the
// ratio, and the cache's size on disk with an extrapolation to a year of reports for 1,000 domains.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { aggregateXml, gz, reportMessage, zip } from '../../test/support/dmarc-reports.ts';
import { connectionArgs, loadMailbox, serversUp } from './imap-path.ts';

const count = Number(process.env['BENCH_REPORTS'] ?? 20_000);
const mariadb = { host: process.env['BENCH_MYSQL_HOST'] ?? '127.0.0.1', port: process.env['BENCH_MYSQL_PORT'] ?? '3306', user: process.env['BENCH_MYSQL_USER'] ?? 'root' };
const cli = join(import.meta.dirname, '../../electron/cli/main.ts');
// The year model: every domain gets this many aggregate reports a day (one per large receiver that sends them).
const perDomainPerDay = Number(process.env['BENCH_YEAR_REPORTS_PER_DOMAIN_DAY'] ?? 4);
// Reports ingested twice (with and without --keep-raw) to measure what keeping raw reports costs.
const rawSample = Math.min(count, Number(process.env['BENCH_RAW_SAMPLE'] ?? 2000));
const runPeer = process.env['BENCH_PEER'] !== '0';

function line(value: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: 'reports', ...value }) + '\n');
}

// 90% small (1-5 records), 9% medium (50-200), 1% large (2,000-5,000): the mix a mailbox of a year's reports shows.
function recordCount(i: number): number {
  if (i % 100 === 0) return 2000 + ((i * 37) % 3000);
  if (i % 11 === 0) return 50 + ((i * 13) % 150);
  return 1 + (i % 5);
}

async function seed(dir: string): Promise<{ files: number; records: number; bytes: number }> {
  let records = 0;
  let bytes = 0;
  for (let i = 0; i < count; i += 1) {
    const n = recordCount(i);
    records += n;
    const domain = `d${i % 1000}.bench.test`;
    const xml = aggregateXml({
      org: ['google.com', 'Outlook.com', 'yahoo.com', 'mail.ru'][i % 4],
      id: `bench-${i}`,
      domain,
      records: Array.from({ length: n }, (_, j) => ({ ip: `10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}`, count: 1 + (j % 9), dkim: j % 7 === 0 ? 'fail' : 'pass', spf: j % 5 === 0 ? 'fail' : 'pass' })),
    });
    const zipped = i % 4 === 1;
    const attachment = zipped ? { filename: `${i}.zip`, content: await zip({ [`${i}.xml`]: xml }), contentType: 'application/zip' } : { filename: `${i}.xml.gz`, content: gz(xml), contentType: 'application/gzip' };
    const raw = await reportMessage({ subject: `Report Domain: ${domain} Report-ID: bench-${i}`, attachment, messageId: `<bench-${i}@bench.test>` });
    bytes += raw.length;
    writeFileSync(join(dir, `${String(i).padStart(6, '0')}.eml`), raw);
  }
  return { files: count, records, bytes };
}

/** Runs a command under GNU time; returns wall seconds and peak RSS in MB. */
function timed(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): { seconds: number; maxRssMb: number; code: number | null; stderr: string } {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', command, ...args], { ...options, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const rss = /MAXRSS (\d+)/.exec(run.stderr ?? '')?.[1];
  return { seconds, maxRssMb: rss ? Math.round(Number(rss) / 1024) : -1, code: run.status, stderr: (run.stderr ?? '').slice(-400) };
}

function mysql(sql: string): string {
  return execFileSync('mariadb', ['-h', mariadb.host, '-P', mariadb.port, '-u', mariadb.user, '-N', '-e', sql], { encoding: 'utf8' });
}

const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-reports-'));
try {
  const corpus = await seed(dir);
  line({ event: 'corpus', ...corpus });

  const home = mkdtempSync(join(tmpdir(), 'mailroom-bench-home-'));
  const mailroom = timed(process.execPath, [cli, 'reports', 'ingest', '--file', dir, '--json'], { env: { ...process.env, MAILROOM_HOME: home } });
  const stored = storedReports(home);
  // The cache's size on disk (WAL checkpointed at close).
  const dbBytes = statSync(join(home, 'mailroom.db')).size;
  const dictionary = shapeDictionary(join(home, 'mailroom.db'));
  rmSync(home, { recursive: true, force: true });
  const mailroomRate = (stored / mailroom.seconds) * 60;
  line({ event: 'result', tool: 'mailroom', path: 'files', ok: mailroom.code === 0 && stored === count, stored, seconds: +mailroom.seconds.toFixed(2), reportsPerMinute: Math.round(mailroomRate), maxRssMb: mailroom.maxRssMb, dbMb: +(dbBytes / 1e6).toFixed(1), dbBytesPerRecord: Math.round(dbBytes / corpus.records) });
  if (process.env['BENCH_STORAGE'] !== '0') storage(dir, corpus, dbBytes, dictionary);
  if (serversUp()) await imapPath(dir);
  else line({ event: 'skipped', tool: 'mailroom', path: 'imap', reason: 'no test servers: run under test/servers/with-servers.sh (see README)' });

  const peer = spawnSync('sh', ['-c', 'command -v dmarcts-report-parser'], { encoding: 'utf8' }).stdout.trim();
  if (!runPeer) {
    line({ event: 'skipped', tool: 'dmarcts-report-parser', reason: 'BENCH_PEER=0' });
  } else if (!peer) {
    line({ event: 'skipped', tool: 'dmarcts-report-parser', reason: 'not installed: apt-get install dmarcts-report-parser' });
  } else {
    mysql('DROP DATABASE IF EXISTS dmarcts_bench; CREATE DATABASE dmarcts_bench');
    const cwd = mkdtempSync(join(tmpdir(), 'dmarcts-bench-'));
    // Its configuration is Perl read from the working directory; the database is the machine's MariaDB.
    writeFileSync(
      join(cwd, 'dmarcts-report-parser.conf'),
      `$debug = 0;\n$delete_reports = 0;\n$dbtype = 'mysql';\n$dbname = 'dmarcts_bench';\n$dbuser = '${mariadb.user}';\n$dbpass = '';\n$dbhost = '${mariadb.host}';\n$dbport = '${mariadb.port}';\n$maxsize_xml = 50000;\n$compress_xml = 0;\n$delete_failed = 0;\n` +
        // It insists on the IMAP settings even when it reads files.
        "$imapserver = 'unused';\n$imapuser = 'unused';\n$imappass = 'unused';\n$imapport = '143';\n$imapssl = '0';\n$imaptls = '0';\n$tlsverify = '0';\n$imapignoreerror = '0';\n$imapreadfolder = 'dmarc';\n$imapmovefolder = 'dmarc/processed';\n1;\n",
    );
    const run = timed(peer, ['-e', join(dir, '*.eml')], { cwd });
    const stored = Number(mysql('SELECT COUNT(*) FROM dmarcts_bench.report').trim());
    const peerRate = (stored / run.seconds) * 60;
    line({ event: 'result', tool: 'dmarcts-report-parser', ok: run.code === 0 && stored === count, stored, seconds: +run.seconds.toFixed(2), reportsPerMinute: Math.round(peerRate), maxRssMb: run.maxRssMb, ...(run.code === 0 ? {} : { stderr: run.stderr }) });
    line({ event: 'ratio', mailroomOverPeer: +(mailroomRate / peerRate).toFixed(2) });
    mysql('DROP DATABASE dmarcts_bench');
    rmSync(cwd, { recursive: true, force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function storedReports(home: string): number {
  const run = spawnSync(process.execPath, [cli, 'reports', 'summary', '--json'], { env: { ...process.env, MAILROOM_HOME: home }, encoding: 'utf8' });
  return (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { aggregate: { reports: number } }).aggregate.reports;
}

/** The shape dictionary's share of the cache (SQLite dbstat): it grows with distinct record shapes, not with reports. */
function shapeDictionary(file: string): { shapes: number; bytes: number } {
  const db = new Database(file, { readonly: true });
  try {
    const { shapes } = db.prepare('SELECT COUNT(*) AS shapes FROM dmarc_record_shapes').get() as { shapes: number };
    const { bytes } = db.prepare("SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat WHERE name IN ('dmarc_record_shapes', 'dmarc_record_shapes_key')").get() as { bytes: number };
    return { shapes, bytes };
  } finally {
    db.close();
  }
}

/** Measures what --keep-raw adds on a sample, then extrapolates the measured size to a year for 1,000 domains. */
function storage(dir: string, corpus: { files: number; records: number; bytes: number }, dbBytes: number, dictionary: { shapes: number; bytes: number }): void {
  const sample = readdirSync(dir).sort().slice(0, rawSample).map((f) => join(dir, f));
  const sizes: Record<string, number> = {};
  for (const keepRaw of [false, true]) {
    const home = mkdtempSync(join(tmpdir(), 'mailroom-bench-raw-'));
    spawnSync(process.execPath, [cli, 'reports', 'ingest', ...sample.flatMap((f) => ['--file', f]), ...(keepRaw ? ['--keep-raw'] : []), '--json'], { env: { ...process.env, MAILROOM_HOME: home }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    sizes[keepRaw ? 'withRaw' : 'withoutRaw'] = statSync(join(home, 'mailroom.db')).size;
    if (storedReports(home) !== sample.length) line({ event: 'warning', reason: `keep-raw sample stored ${storedReports(home)} of ${sample.length}` });
    rmSync(home, { recursive: true, force: true });
  }
  line({ event: 'storage', sample: sample.length, dbBytesWithoutRaw: sizes['withoutRaw'], dbBytesWithRaw: sizes['withRaw'], rawBytesPerReport: Math.round((sizes['withRaw']! - sizes['withoutRaw']!) / sample.length) });
  // Linear in reports at the corpus's own mix of sizes (records per report): the tables and indexes grow with rows.
  const reports = 1000 * 365 * perDomainPerDay;
  // A fresh cache (every migration, no reports) is a fixed cost, not a per-report one.
  const empty = mkdtempSync(join(tmpdir(), 'mailroom-bench-empty-'));
  storedReports(empty);
  const emptyBytes = statSync(join(empty, 'mailroom.db')).size;
  rmSync(empty, { recursive: true, force: true });
  const perReport = (dbBytes - emptyBytes) / corpus.files;
  line({
    event: 'year-estimate', basis: `extrapolated from ${corpus.files} measured reports (${corpus.records} records), not ingested`,
    domains: 1000, reportsPerDomainPerDay: perDomainPerDay, reports, records: Math.round((corpus.records / corpus.files) * reports),
    emptyDbBytes: emptyBytes, dbBytesPerReport: Math.round(perReport), dbBytesPerRecord: Math.round((dbBytes - emptyBytes) / corpus.records), dbGb: +((perReport * reports) / 1e9).toFixed(2),
    dbGbWithRaw: +(((perReport + (sizes['withRaw']! - sizes['withoutRaw']!) / sample.length) * reports) / 1e9).toFixed(2),
    // The same with the shape dictionary counted once, as measured: right only if a year brings no more distinct shapes than this corpus.
    shapes: dictionary.shapes, shapeDictionaryBytes: dictionary.bytes,
    dbGbDictionaryOnce: +((((dbBytes - emptyBytes - dictionary.bytes) / corpus.files) * reports + dictionary.bytes) / 1e9).toFixed(2),
  });
}

/** The same messages from a real Dovecot mailbox: APPENDed, then read by `reports ingest --connection`. */
async function imapPath(dir: string): Promise<void> {
  const files = readdirSync(dir).sort().map((f) => join(dir, f));
  const mailbox = await loadMailbox(files);
  line({ event: 'imap-corpus', messages: files.length, appendSeconds: +mailbox.appendSeconds.toFixed(1) });
  const home = mkdtempSync(join(tmpdir(), 'mailroom-bench-imap-'));
  const { args, env } = connectionArgs(mailbox);
  const added = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env, MAILROOM_HOME: home }, encoding: 'utf8' });
  if (added.status !== 0) {
    line({ event: 'skipped', tool: 'mailroom', path: 'imap', reason: `connections add exited ${added.status}: ${added.stderr.slice(-300)}` });
    return;
  }
  const run = timed(process.execPath, [cli, 'reports', 'ingest', '--connection', 'bench-imap', '--folder', 'DMARC', '--json'], { env: { ...process.env, ...env, MAILROOM_HOME: home } });
  const stored = storedReports(home);
  rmSync(home, { recursive: true, force: true });
  line({ event: 'result', tool: 'mailroom', path: 'imap', ok: run.code === 0 && stored === files.length, stored, seconds: +run.seconds.toFixed(2), reportsPerMinute: Math.round((stored / run.seconds) * 60), maxRssMb: run.maxRssMb, ...(run.code === 0 ? {} : { stderr: run.stderr }) });
}
