// Samples a Mailroom copy that size.ts is running, every N seconds, until it ends: the messages landed (its last
// progress line, in the /tmp/mailroom-size-<tag>-<messages>.jsonl size.ts writes), the CLI's CPU from /proc and each
// Dovecot's (as size.ts counts it), and the load average: where a large folder's rate goes while it runs.
// Run beside size.ts: node bench/migrate/size-sampler.ts [--every SECONDS (20)] [--messages N (1000000)]; same Dovecot pair.
// Prints JSON lines, one a sample.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dovecotCpu, processCpu } from './maildir-pair.ts';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const EVERY = arg('--every', 20);
const MESSAGES = arg('--messages', 1_000_000);
const round = (n: number): number => Math.round(n * 100) / 100;
const sleep = (s: number): Promise<void> => new Promise((done) => setTimeout(done, s * 1000));

// The newest run of that size: size.ts opens its output file just before it starts the CLI.
function newestRun(): string | null {
  const runs = readdirSync('/tmp').filter((f) => f.startsWith('mailroom-size-') && f.endsWith(`-${MESSAGES}.jsonl`));
  const newest = runs.map((f) => ({ f, at: statSync(`/tmp/${f}`).mtimeMs })).sort((a, b) => b.at - a.at)[0];
  return newest ? `/tmp/${newest.f.slice(0, -'.jsonl'.length)}` : null;
}

// The CLI itself (not /usr/bin/time, whose command line names the same state file).
function cliPid(run: string): number | null {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.includes(`${run}.db`) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'time') return Number(pid);
    } catch {
      // ended meanwhile
    }
  }
  return null;
}

// The last complete progress line of the output, read from its tail only (a 1,000,000-message run writes thousands).
function lastProgress(file: string): { phase: string; copied: number; checked?: number } | null {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const tail = Buffer.alloc(Math.min(size, 16_384));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const line = tail.toString('utf8').split('\n').filter((l) => l.startsWith('{"event":"progress"') && l.endsWith('}')).at(-1);
    return line ? (JSON.parse(line) as { phase: string; copied: number; checked?: number }) : null;
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<void> {
  let run = newestRun();
  let pid = run ? cliPid(run) : null;
  while (pid === null) {
    await sleep(1);
    run = newestRun();
    pid = run ? cliPid(run) : null;
  }
  const started = performance.now();
  process.stdout.write(JSON.stringify({ event: 'sampling', run, pid, every: EVERY }) + '\n');
  for (;;) {
    let cli: number;
    try {
      cli = processCpu(pid, false);
    } catch {
      return; // the CLI has ended
    }
    const p = lastProgress(`${run}.jsonl`);
    const sample = { event: 'sample', seconds: round((performance.now() - started) / 1000), phase: p?.phase ?? null, landed: p?.copied ?? 0, checked: p?.checked ?? null, cliCpu: cli, srcCpu: round(dovecotCpu('src')), dstCpu: round(dovecotCpu('dst')), load: round(loadavg()[0]!) };
    process.stdout.write(JSON.stringify(sample) + '\n');
    await sleep(EVERY);
  }
}

await main();
