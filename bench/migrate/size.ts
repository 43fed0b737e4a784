// Any size: throughput and peak RSS copying a 10,000-message INBOX and a large one (default
// 1,000,000), each seeded as Maildir files and copied to a fresh target by Mailroom (the installed
// CLI: its launcher sets the memory bound) and by mbsync, timed as whole processes. Goal: the
// large folder within 20% of the small one's messages per second, and the same peak memory;
// mbsync's own large-vs-small ratio on the same server shows what the server's slowdown is.
// Each run also prints the CPU of the tool and of each Dovecot (master plus its imap processes), per message,
// and the load average: whose cost a slowdown is.
// Every line names the target's storage (dovecot-pair.sh's DST_MAIL_FORMAT). Mailroom's progress lines go to
// /tmp/mailroom-size-<tag>-<messages>.jsonl as it runs (size-sampler.ts reads them).
// Prints JSON lines. Run: node bench/migrate/size.ts [--messages N] [--no-verify] [--skip-mbsync] [--mbsync-up-to N]
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { dovecotCpu, DST_IMAPS, inboxCount, maildirSyncs, mbsyncRc, newUser, PAIR, PASSWORD, phaseStarts, seedMaildir, SRC_IMAPS, targetFormat, timed, type Timed } from './maildir-pair.ts';
import { buildAsInstalled } from './build.ts';

const REPO = join(import.meta.dirname, '..', '..');
const ENTRY = process.env['MAILROOM_BENCH_ENTRY'] ?? join(REPO, 'dist/electron/cli/main.js');
const at = process.argv.indexOf('--messages');
const LARGE = at > 0 ? Number(process.argv[at + 1]) : 1_000_000;
const SMALL = 10_000;
const extra = process.argv.includes('--no-verify') ? ['--no-verify'] : [];
const TOOLS = process.argv.includes('--skip-mbsync') ? (['mailroom'] as const) : (['mailroom', 'mbsync'] as const);
// mbsync only up to this size (its rate falls with the target folder: 100,000 took it 711-730 s); default: every size.
const upTo = process.argv.indexOf('--mbsync-up-to');
const MBSYNC_UP_TO = upTo > 0 ? Number(process.argv[upTo + 1]) : Infinity;
const tag = Date.now().toString(36);
const caFile = join(PAIR, 'ca.pem');
// A Mailroom run's files without their extension: its state db (.db) and its output (.jsonl).
const runFile = (messages: number): string => `/tmp/mailroom-size-${tag}-${messages}`;

const emit = (line: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(line) + '\n');
const round = (n: number): number => Math.round(n * 100) / 100;

type Rates = Record<'mailroom' | 'mbsync', number>;

// One source of `messages`, copied by each tool to a fresh target user of its own.
function copy(messages: number): Rates {
  const source = `size${messages}-${tag}@example.test`;
  newUser('src', source);
  const seedStart = performance.now();
  seedMaildir(source, messages);
  emit({ event: 'seed', messages: inboxCount('src', source), seconds: round((performance.now() - seedStart) / 1000) });
  const rates: Rates = { mailroom: NaN, mbsync: NaN };
  for (const tool of TOOLS) {
    if (tool === 'mbsync' && messages > MBSYNC_UP_TO) continue;
    const target = `size${messages}-${tool}-${tag}@example.test`;
    newUser('dst', target);
    const load = loadavg()[0]!;
    const before = { src: dovecotCpu('src'), dst: dovecotCpu('dst') };
    const r = tool === 'mailroom' ? mailroom(source, target, messages) : timed('mbsync', ['-q', '-c', mbsyncRc(`/tmp/mailroom-size-mbsync-${tag}-${messages}`, source, target), 'push'], process.env);
    const server = { src: round(dovecotCpu('src') - before.src), dst: round(dovecotCpu('dst') - before.dst) };
    const ok = r.ok && inboxCount('dst', target) === messages;
    // A failed copy has no rate: its seconds are how long it took to fail, and a ratio made of them would look like a result.
    rates[tool] = ok ? round(messages / r.seconds) : NaN;
    // Per message, in milliseconds: the tool's own CPU (flat with size, or the engine holds something per folder) and each server's.
    const perMessage = (s: number | null): number | null => (s === null ? null : Math.round((s / messages) * 1e5) / 100);
    emit({ event: 'size', tool, dovecot: maildirSyncs(), target: targetFormat(), messages, ok, seconds: round(r.seconds), messagesPerSecond: rates[tool], maxRssMb: r.maxRssMb, cpuSeconds: r.cpuSeconds, cpuMsPerMessage: perMessage(r.cpuSeconds), serverCpuSeconds: server, serverCpuMsPerMessage: { src: perMessage(server.src), dst: perMessage(server.dst) }, load: [round(load), round(loadavg()[0]!)], ...(tool === 'mailroom' ? { verify: extra.length === 0, phases: phaseStarts(r.stdout) } : {}) });
  }
  return rates;
}

function mailroom(source: string, target: string, messages: number): Timed {
  const args = ['migrate', '--json', '--source', `imaps://${encodeURIComponent(source)}@localhost:${SRC_IMAPS}`, '--target', `imaps://${encodeURIComponent(target)}@localhost:${DST_IMAPS}`, '--ca', caFile, '--state', `${runFile(messages)}.db`, ...extra];
  const env = { ...process.env, MAILROOM_SOURCE_PASSWORD: PASSWORD, MAILROOM_TARGET_PASSWORD: PASSWORD };
  const progress = `${runFile(messages)}.jsonl`;
  return process.env['MAILROOM_BENCH_ENTRY'] ? timed(process.execPath, [ENTRY, ...args], env, progress) : timed(ENTRY, args, env, progress);
}

function main(): void {
  if (!process.env['MAILROOM_BENCH_ENTRY']) {
    buildAsInstalled();
    chmodSync(ENTRY, 0o755);
  }
  writeFileSync(caFile, readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8') + readFileSync(join(PAIR, 'dst/ssl/cert.pem'), 'utf8'));
  const small = copy(SMALL);
  const large = copy(LARGE);
  // > 0.8 meets the goal (the large folder at least 80% of the small one's rate); mbsync's is the server's share.
  for (const tool of TOOLS.filter((t) => t === 'mailroom' || LARGE <= MBSYNC_UP_TO)) {
    emit({ event: 'size-ratio', tool, target: targetFormat(), small: SMALL, large: LARGE, throughputLargeVsSmall: round(large[tool] / small[tool]) });
  }
}

main();
