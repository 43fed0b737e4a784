// Whose CPU a corpus first pass costs: Mailroom's process, the source Dovecot, the target Dovecot.
// Run: node bench/migrate/cpu.ts before=<dist dir> after=dist [--rounds N] [--no-verify]; same Dovecot pair as run.ts.
// Each build (label=dist dir holding electron/cli/main.js) copies the corpus (run.ts seeds it) to a
// fresh target user under plain `node`, alternating over the rounds. Prints JSON lines, see README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { dovecotCpu, DST_IMAPS, newUser, PAIR, PASSWORD, phaseStarts, SRC_IMAPS, timed } from './maildir-pair.ts';

const SOURCE = 'corpus@example.test';
const builds = process.argv.slice(2).filter((a) => /^[\w-]+=/.test(a)).map((a) => ({ label: a.split('=')[0]!, dist: a.slice(a.indexOf('=') + 1) }));
const at = process.argv.indexOf('--rounds');
const ROUNDS = at > 0 ? Number(process.argv[at + 1]) : 1;
const extra = process.argv.includes('--no-verify') ? ['--no-verify'] : [];
const tag = Date.now().toString(36);
const round = (n: number): number => Math.round(n * 1000) / 1000;
const emit = (line: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(line) + '\n');

writeFileSync(join(PAIR, 'ca.pem'), readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8') + readFileSync(join(PAIR, 'dst/ssl/cert.pem'), 'utf8'));
for (let r = 0; r < ROUNDS; r++) {
  for (const b of builds) {
    const target = `cpu-${tag}-${r}-${b.label}@example.test`;
    newUser('dst', target);
    const args = [join(b.dist, 'electron/cli/main.js'), 'migrate', '--json', '--source', `imaps://${encodeURIComponent(SOURCE)}@localhost:${SRC_IMAPS}`, '--target', `imaps://${encodeURIComponent(target)}@localhost:${DST_IMAPS}`, '--ca', join(PAIR, 'ca.pem'), '--state', `/tmp/mailroom-cpu-${tag}-${r}-${b.label}.db`, ...extra];
    const load = loadavg()[0]!;
    const before = { src: dovecotCpu('src'), dst: dovecotCpu('dst') };
    const t = timed(process.execPath, args, { ...process.env, MAILROOM_SOURCE_PASSWORD: PASSWORD, MAILROOM_TARGET_PASSWORD: PASSWORD });
    const server = { src: round(dovecotCpu('src') - before.src), dst: round(dovecotCpu('dst') - before.dst) };
    const report = t.stdout.split('\n').find((l) => l.startsWith('{"event":"report"'));
    const content = report ? (JSON.parse(report) as { content?: unknown }).content ?? null : null;
    // When each phase began, from the CLI's progress lines (ms since its start): the copy's end is the first 'checking' or 'verifying'.
    const phases = phaseStarts(t.stdout);
    emit({ event: 'cpu', build: b.label, round: r, seconds: round(t.seconds), cpuSeconds: t.cpuSeconds, serverCpuSeconds: server, phases, content, load: [round(load), round(loadavg()[0]!)] });
  }
}
