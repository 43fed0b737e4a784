// Any size: throughput and peak RSS copying a 10,000-message INBOX and a large one (default
// 1,000,000), each seeded as Maildir files and copied to a fresh target by Mailroom (the installed
// CLI: its launcher sets the memory bound) and by mbsync, timed as whole processes. Goal: the
// large folder within 20% of the small one's messages per second, and the same peak memory;
// mbsync's own large-vs-small ratio on the same server shows what the server's slowdown is.
// Prints JSON lines. Run: node bench/migrate/size.ts [--messages N] [--no-verify] [--skip-mbsync]
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DST_IMAPS, inboxCount, mbsyncRc, newUser, PAIR, PASSWORD, seedMaildir, SRC_IMAPS, timed, type Timed } from './maildir-pair.ts';

const REPO = join(import.meta.dirname, '..', '..');
const ENTRY = process.env['MAILROOM_BENCH_ENTRY'] ?? join(REPO, 'dist/electron/cli/main.js');
const at = process.argv.indexOf('--messages');
const LARGE = at > 0 ? Number(process.argv[at + 1]) : 1_000_000;
const SMALL = 10_000;
const extra = process.argv.includes('--no-verify') ? ['--no-verify'] : [];
const TOOLS = process.argv.includes('--skip-mbsync') ? (['mailroom'] as const) : (['mailroom', 'mbsync'] as const);
const tag = Date.now().toString(36);
const caFile = join(PAIR, 'ca.pem');

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
    const target = `size${messages}-${tool}-${tag}@example.test`;
    newUser('dst', target);
    const r = tool === 'mailroom' ? mailroom(source, target, messages) : timed('mbsync', ['-q', '-c', mbsyncRc(`/tmp/mailroom-size-mbsync-${tag}-${messages}`, source, target), 'push'], process.env);
    const ok = r.ok && inboxCount('dst', target) === messages;
    // A failed copy has no rate: its seconds are how long it took to fail, and a ratio made of them would look like a result.
    rates[tool] = ok ? round(messages / r.seconds) : NaN;
    emit({ event: 'size', tool, messages, ok, seconds: round(r.seconds), messagesPerSecond: rates[tool], maxRssMb: r.maxRssMb, cpuSeconds: r.cpuSeconds, ...(tool === 'mailroom' ? { verify: extra.length === 0 } : {}) });
  }
  return rates;
}

function mailroom(source: string, target: string, messages: number): Timed {
  const args = ['migrate', '--json', '--source', `imaps://${encodeURIComponent(source)}@localhost:${SRC_IMAPS}`, '--target', `imaps://${encodeURIComponent(target)}@localhost:${DST_IMAPS}`, '--ca', caFile, '--state', `/tmp/mailroom-size-${tag}-${messages}.db`, ...extra];
  const env = { ...process.env, MAILROOM_SOURCE_PASSWORD: PASSWORD, MAILROOM_TARGET_PASSWORD: PASSWORD };
  return process.env['MAILROOM_BENCH_ENTRY'] ? timed(process.execPath, [ENTRY, ...args], env) : timed(ENTRY, args, env);
}

function main(): void {
  if (!process.env['MAILROOM_BENCH_ENTRY']) {
    execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-b'], { cwd: REPO, stdio: 'inherit' });
    chmodSync(ENTRY, 0o755);
  }
  writeFileSync(caFile, readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8') + readFileSync(join(PAIR, 'dst/ssl/cert.pem'), 'utf8'));
  const small = copy(SMALL);
  const large = copy(LARGE);
  // > 0.8 meets the goal (the large folder at least 80% of the small one's rate); mbsync's is the server's share.
  for (const tool of TOOLS) {
    emit({ event: 'size-ratio', tool, small: SMALL, large: LARGE, throughputLargeVsSmall: round(large[tool] / small[tool]) });
  }
}

main();
