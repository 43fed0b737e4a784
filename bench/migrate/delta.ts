// Delta pass: a 100,000-message INBOX copied once by Mailroom and by mbsync, then 10 changes on
// the source and each tool's next pass, timed as whole processes. Two rounds: "flags-expunges"
// (5 flag changes, 3 keywords, 2 expunges) and "with-new-mail" (3 flag changes, 2 keywords,
// 2 expunges, 3 new messages). Mailroom runs with its defaults (verification on).
// Prints JSON lines. Run: node bench/migrate/delta.ts [--messages N] [--reuse TAG]   (see bench/migrate/README.md)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { dovecotCpu, DST_IMAPS, inboxCount, maildirSyncs, mbsyncRc, newUser, PAIR, PASSWORD, seedMaildir, SRC_IMAPS, timed, type Timed } from './maildir-pair.ts';
import { buildAsInstalled } from './build.ts';

const REPO = join(import.meta.dirname, '..', '..');
const ENTRY = process.env['MAILROOM_BENCH_ENTRY'] ?? join(REPO, 'dist/electron/cli/main.js');
const at = process.argv.indexOf('--messages');
const MESSAGES = at > 0 ? Number(process.argv[at + 1]) : 100_000;
// --reuse TAG: the users and state of an earlier run (its seed and first passes are skipped), for more rounds.
const reuse = process.argv.indexOf('--reuse');
const tag = reuse > 0 ? process.argv[reuse + 1]! : Date.now().toString(36);
// Mailroom alone (mbsync's first pass of 100,000 messages takes minutes): builds compared against each other.
const SKIP_MBSYNC = process.argv.includes('--skip-mbsync');
// Each round changes other UIDs (pick() adds the round), so a reused run needs rounds of its own.
const ROUNDS = reuse > 0 ? 3 + 2 * (Math.floor(Date.now() / 1000) % 500) : 1;
const caFile = join(PAIR, 'ca.pem');

const emit = (line: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(line) + '\n');
const round = (n: number): number => Math.round(n * 1000) / 1000;

function mailroom(source: string, target: string, extra: readonly string[]): Timed & { passes: unknown } {
  const args = [ENTRY, 'migrate', '--json', '--source', `imaps://${encodeURIComponent(source)}@localhost:${SRC_IMAPS}`, '--target', `imaps://${encodeURIComponent(target)}@localhost:${DST_IMAPS}`, '--ca', caFile, '--state', `/tmp/mailroom-delta-${tag}.db`, ...extra];
  const t = timed(process.execPath, args, { ...process.env, MAILROOM_SOURCE_PASSWORD: PASSWORD, MAILROOM_TARGET_PASSWORD: PASSWORD });
  const report = t.stdout.split('\n').find((l) => l.includes('"event":"report"'));
  return { ...t, passes: report ? (JSON.parse(report) as { passes: unknown }).passes : null };
}

// Ten changes on the source INBOX, made by an ordinary client between two passes.
async function tenChanges(user: string, round: number, newMail: number): Promise<void> {
  const client = new ImapFlow({ host: 'localhost', port: SRC_IMAPS, secure: true, auth: { user, pass: PASSWORD }, tls: { ca: readFileSync(caFile) }, logger: false });
  await client.connect();
  const lock = await client.getMailboxLock('INBOX');
  try {
    const pick = (k: number): string => String(Math.floor((MESSAGES / 11) * k) + round);
    await client.messageFlagsAdd(pick(1), ['\\Flagged'], { uid: true });
    await client.messageFlagsRemove(pick(2), ['\\Seen'], { uid: true });
    await client.messageFlagsAdd(pick(3), ['\\Answered'], { uid: true });
    await client.messageFlagsAdd(pick(4), ['$Work'], { uid: true });
    await client.messageFlagsAdd(pick(5), ['$Later'], { uid: true });
    await client.messageDelete(`${pick(6)},${pick(7)}`, { uid: true });
    // Without new mail, the three other changes are flags and a keyword.
    if (newMail === 0) {
      await client.messageFlagsAdd(pick(8), ['\\Flagged', '\\Answered'], { uid: true });
      await client.messageFlagsRemove(pick(9), ['\\Seen'], { uid: true });
      await client.messageFlagsAdd(pick(10), ['$Done'], { uid: true });
    }
    for (let n = 0; n < newMail; n++) await client.append('INBOX', `Message-ID: <new${round}.${n}.${tag}@delta.bench>\r\nSubject: new ${round}.${n}\r\n\r\nnew\r\n`, [], new Date());
  } finally {
    lock.release();
    await client.logout();
  }
}

async function main(): Promise<void> {
  if (!process.env['MAILROOM_BENCH_ENTRY']) buildAsInstalled();
  writeFileSync(caFile, readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8') + readFileSync(join(PAIR, 'dst/ssl/cert.pem'), 'utf8'));
  const source = `delta-${tag}@example.test`;
  const targets = { mailroom: `delta-mailroom-${tag}@example.test`, mbsync: `delta-mbsync-${tag}@example.test` };
  const rc = mbsyncRc(`/tmp/mailroom-delta-mbsync-${tag}`, source, targets.mbsync);
  const mbsync = (): Timed => timed('mbsync', ['-q', '-c', rc, 'push'], process.env);
  if (reuse < 0) {
    newUser('src', source);
    const seedStart = performance.now();
    seedMaildir(source, MESSAGES);
    emit({ event: 'seed', messages: inboxCount('src', source), seconds: round((performance.now() - seedStart) / 1000) });
    newUser('dst', targets.mailroom);
    newUser('dst', targets.mbsync);
    const firsts = { mailroom: mailroom(source, targets.mailroom, []), ...(SKIP_MBSYNC ? {} : { mbsync: mbsync() }) };
    for (const [tool, r] of Object.entries(firsts)) emit({ event: 'first', tool, ok: r.ok && inboxCount('dst', targets[tool as keyof typeof targets]) === MESSAGES, seconds: round(r.seconds), maxRssMb: r.maxRssMb });
  }
  // Which Maildir sync the pair runs (dovecot-pair.sh: Dovecot's default, or maildir_very_dirty_syncs), on every line.
  const dovecot = maildirSyncs();
  for (const [n, scenario, newMail] of [[ROUNDS, 'flags-expunges', 0], [ROUNDS + 1, 'with-new-mail', 3]] as const) {
    // Neither tool expunges on the target here (no --sync-deletions; mbsync "Expunge None"): each target gains the new mail only.
    const before = { mailroom: inboxCount('dst', targets.mailroom), mbsync: inboxCount('dst', targets.mbsync) };
    await tenChanges(source, n, newMail);
    // The Dovecots' CPU during each tool's pass (both sides, imap processes included).
    const serverCpu = (): number => dovecotCpu('src') + dovecotCpu('dst');
    let cpu = serverCpu();
    const ours = mailroom(source, targets.mailroom, []);
    const oursServer = serverCpu() - cpu;
    emit({ event: 'delta', dovecot, scenario, changes: 10, tool: 'mailroom', ok: ours.ok && inboxCount('dst', targets.mailroom) === before.mailroom + newMail, seconds: round(ours.seconds), cpuSeconds: ours.cpuSeconds, serverCpuSeconds: round(oursServer), maxRssMb: ours.maxRssMb, passes: ours.passes });
    if (SKIP_MBSYNC) continue;
    cpu = serverCpu();
    const theirs = mbsync();
    const theirsServer = serverCpu() - cpu;
    emit({ event: 'delta', dovecot, scenario, changes: 10, tool: 'mbsync', ok: theirs.ok && inboxCount('dst', targets.mbsync) === before.mbsync + newMail, seconds: round(theirs.seconds), cpuSeconds: theirs.cpuSeconds, serverCpuSeconds: round(theirsServer), maxRssMb: theirs.maxRssMb });
    emit({ event: 'ratio', dovecot, scenario, deltaVsMbsync: round(theirs.seconds / ours.seconds) });
  }
}

await main();
