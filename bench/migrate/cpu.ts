// Whose CPU a corpus first pass costs: Mailroom's process, the source Dovecot, the target Dovecot.
// Run: node bench/migrate/cpu.ts before=<dist dir> after=dist [--rounds N] [--no-verify] [--as-installed] [--source USER];
// same Dovecot pair as run.ts. Each build (label=dist dir holding electron/cli/main.js) copies the corpus (run.ts seeds
// it; --source corpus3@example.test for the ×3 account its memory scenario seeds) to a fresh target user under plain
// `node`, or with --as-installed through main.js's own `#!` line (the launcher's flags), alternating over the rounds (ABBA order).
// Prints JSON lines, see README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { dovecotCpu, DST_IMAPS, newUser, PAIR, PASSWORD, phaseStarts, SRC_IMAPS, timed } from './maildir-pair.ts';

const option = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const SOURCE = option('--source') ?? 'corpus@example.test';
const asInstalled = process.argv.includes('--as-installed');
const builds = process.argv.slice(2).filter((a) => /^[\w-]+=/.test(a)).map((a) => ({ label: a.split('=')[0]!, dist: a.slice(a.indexOf('=') + 1) }));
const at = process.argv.indexOf('--rounds');
const ROUNDS = at > 0 ? Number(process.argv[at + 1]) : 1;
const extra = process.argv.includes('--no-verify') ? ['--no-verify'] : [];
const tag = Date.now().toString(36);
const round = (n: number): number => Math.round(n * 1000) / 1000;
const emit = (line: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(line) + '\n');

writeFileSync(join(PAIR, 'ca.pem'), readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8') + readFileSync(join(PAIR, 'dst/ssl/cert.pem'), 'utf8'));
for (let r = 0; r < ROUNDS; r++) {
  // odd rounds in reverse: A B, B A, ... so a trend in the machine's load falls on every build alike
  for (const b of r % 2 === 1 ? [...builds].reverse() : builds) {
    const target = `cpu-${tag}-${r}-${b.label}@example.test`;
    newUser('dst', target);
    const args = [join(b.dist, 'electron/cli/main.js'), 'migrate', '--json', '--source', `imaps://${encodeURIComponent(SOURCE)}@localhost:${SRC_IMAPS}`, '--target', `imaps://${encodeURIComponent(target)}@localhost:${DST_IMAPS}`, '--ca', join(PAIR, 'ca.pem'), '--state', `/tmp/mailroom-cpu-${tag}-${r}-${b.label}.db`, ...extra];
    const load = loadavg()[0]!;
    const before = { src: dovecotCpu('src'), dst: dovecotCpu('dst') };
    const [cmd, argv] = asInstalled ? [args[0]!, args.slice(1)] : [process.execPath, args];
    const t = timed(cmd, argv, { ...process.env, MAILROOM_SOURCE_PASSWORD: PASSWORD, MAILROOM_TARGET_PASSWORD: PASSWORD });
    const server = { src: round(dovecotCpu('src') - before.src), dst: round(dovecotCpu('dst') - before.dst) };
    const report = t.stdout.split('\n').find((l) => l.startsWith('{"event":"report"'));
    const content = report ? (JSON.parse(report) as { content?: unknown }).content ?? null : null;
    // When each phase began, from the CLI's progress lines (ms since its start): the copy's end is the first 'checking' or 'verifying'.
    const phases = phaseStarts(t.stdout);
    emit({ event: 'cpu', build: b.label, round: r, seconds: round(t.seconds), cpuSeconds: t.cpuSeconds, maxRssMb: t.maxRssMb, ok: t.ok, serverCpuSeconds: server, phases, content, load: [round(load), round(loadavg()[0]!)] });
  }
}
