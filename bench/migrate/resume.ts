// Any size, resumed: peak RSS and time of the run that resumes a large INBOX after `kill -9` in the
// middle of its copy (uncertain batches left 'appending', half the folder on the target), for
// each build given, alternating. Each build copies the same seeded source to a fresh target user:
// the first run is killed once the target holds `--kill-at` of the folder, the second (timed,
// /usr/bin/time for peak RSS) resumes from the same state file with verification on.
// Run: PAIR_DIR=… SRC_PORT=… DST_PORT=… node bench/migrate/resume.ts [--messages N] [--kill-at 0.5] [--rounds 1] label=dist-dir …
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DST_IMAPS, inboxCount, newUser, PAIR, PASSWORD, seedMaildir, SRC_IMAPS, timed } from './maildir-pair.ts';

const arg = (name: string, fallback: number): number => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const MESSAGES = arg('--messages', 200_000);
const KILL_AT = arg('--kill-at', 0.5);
const ROUNDS = arg('--rounds', 1);
const builds = process.argv.slice(2).filter((a) => /^[\w-]+=/.test(a)).map((a) => ({ label: a.split('=')[0]!, entry: join(a.slice(a.indexOf('=') + 1), 'electron/cli/main.js') }));
const tag = Date.now().toString(36);
const caFile = join(PAIR, 'ca.pem');
const env = { ...process.env, MAILROOM_SOURCE_PASSWORD: PASSWORD, MAILROOM_TARGET_PASSWORD: PASSWORD };
const emit = (line: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(line) + '\n');
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;

function args(source: string, target: string, state: string): string[] {
  return ['migrate', '--json', '--source', `imaps://${encodeURIComponent(source)}@localhost:${SRC_IMAPS}`, '--target', `imaps://${encodeURIComponent(target)}@localhost:${DST_IMAPS}`, '--ca', caFile, '--state', state];
}

// Starts the copy and kills it (SIGKILL) once the target holds `at` messages.
async function killedAt(entry: string, argv: string[], target: string, at: number): Promise<void> {
  const child = spawn(entry, argv, { env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode !== null) throw new Error(`the copy ended before ${at} messages were on the target`);
    if (inboxCount('dst', target) >= at) break;
  }
  child.kill('SIGKILL');
  await exited;
}

async function main(): Promise<void> {
  writeFileSync(caFile, readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8') + readFileSync(join(PAIR, 'dst/ssl/cert.pem'), 'utf8'));
  const source = `resume${MESSAGES}-${tag}@example.test`;
  newUser('src', source);
  const seedStart = performance.now();
  seedMaildir(source, MESSAGES);
  emit({ event: 'seed', messages: inboxCount('src', source), seconds: Math.round(performance.now() - seedStart) / 1000 });
  for (let round = 1; round <= ROUNDS; round++) {
    for (const build of builds) {
      chmodSync(build.entry, 0o755);
      const target = `resume${MESSAGES}-${build.label}-${round}-${tag}@example.test`;
      const state = `/tmp/mailroom-resume-${tag}-${build.label}-${round}.db`;
      newUser('dst', target);
      const argv = args(source, target, state);
      await killedAt(build.entry, argv, target, Math.floor(MESSAGES * KILL_AT));
      const db = new Database(state, { readonly: true });
      const states = Object.fromEntries((db.prepare('SELECT state, COUNT(*) AS n FROM migration_messages GROUP BY state').all() as { state: string; n: number }[]).map((r) => [r.state, r.n]));
      db.close();
      const onTargetAtKill = inboxCount('dst', target);
      const loadStart = load();
      const r = timed(build.entry, argv, env);
      const lines = r.stdout.trim().split('\n').flatMap((l) => { try { return [JSON.parse(l) as Record<string, unknown>]; } catch { return []; } });
      const report = { ...lines.at(-1), ...lines.find((l) => l['event'] === 'report') } as { copied?: number; skipped?: number; complete?: boolean; folders?: { missing: number; extra: number }[] };
      emit({ event: 'resume', build: build.label, round, messages: MESSAGES, statesAtKill: states, onTargetAtKill, ok: r.ok, seconds: Math.round(r.seconds * 100) / 100, maxRssMb: r.maxRssMb, cpuSeconds: r.cpuSeconds, onTarget: inboxCount('dst', target), copied: report.copied, skipped: report.skipped, complete: report.complete, missing: report.folders?.reduce((n, f) => n + f.missing, 0), extra: report.folders?.reduce((n, f) => n + f.extra, 0), load: `${loadStart}→${load()}` });
    }
  }
}

await main();
