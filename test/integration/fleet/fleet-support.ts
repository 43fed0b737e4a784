import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { generateFleetKey, writeFleetKey } from '../../../electron/fleet/fleet-key.ts';
import { LANES, queueName, type RedisOptions } from '../../../electron/fleet/fleet-redis.ts';
import { loadCorpus } from '../../support/migration-corpus.ts';
import { addImapUsersKnown, testServers } from '../../support/servers.ts';
import { readMailbox } from '../../support/migration-corpus.ts';
import { seedMaildir, type SeededMessage } from '../migration/large-seed.ts';
import { endpointFor, urlFor } from '../migration/support.ts';

const MAIN = join(import.meta.dirname, '..', '..', '..', 'electron', 'cli', 'main.ts');

/** A mailbox pair of the test batch, with what was seeded into the source. */
export interface TestPair {
  readonly source: { user: string; password: string };
  readonly target: { user: string; password: string };
  readonly seeded: readonly SeededMessage[];
}

/** Splits the corpus into `count` small INBOX mailboxes of `each` messages, seeded straight into Dovecot's Maildirs; targets stay empty. */
export async function seedPairs(tag: string, count: number, each: number): Promise<TestPair[]> {
  const corpus = loadCorpus(count * each);
  const pairs: TestPair[] = [];
  for (let i = 0; i < count; i += 1) {
    const account = (side: string): { user: string; password: string } => ({ user: `${tag}-${side}${i}-${randomBytes(3).toString('hex')}@example.test`, password: randomBytes(12).toString('base64url') });
    const seeded = corpus.slice(i * each, (i + 1) * each).map((m) => ({ content: m.content, internalDate: m.internalDate, seen: m.flags.includes('\\Seen') }));
    pairs.push({ source: account('s'), target: account('t'), seeded });
  }
  await addImapUsersKnown(testServers(), pairs.flatMap((p) => [p.source, p.target]));
  for (const p of pairs) seedMaildir(p.source.user, p.seeded);
  return pairs;
}

/** Writes the plan CSV with each password in its own 0600 file (never on a command line). */
export function writePlan(dir: string, pairs: readonly TestPair[]): string {
  const rows = pairs.map((p, i) => {
    const sf = join(dir, `s${i}.pw`);
    const tf = join(dir, `t${i}.pw`);
    writeFileSync(sf, `${p.source.password}\n`, { mode: 0o600 });
    writeFileSync(tf, `${p.target.password}\n`, { mode: 0o600 });
    return `${urlFor(p.source)},${urlFor(p.target)},${sf},${tf}`;
  });
  const file = join(dir, 'pairs.csv');
  writeFileSync(file, ['source,target,source_password_file,target_password_file', ...rows].join('\n') + '\n');
  return file;
}

/** A fleet key pair in `dir` (a low scrypt factor: the tests open it many times). */
export async function fleetKey(dir: string, name: string, passphrase: string): Promise<string> {
  const file = join(dir, name);
  writeFleetKey(file, await generateFleetKey(passphrase, 12));
  return file;
}

/** A child process of the CLI with its output kept. */
export interface Child {
  readonly process: ChildProcess;
  output: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `mailroom …` as a child process. */
export function startCli(args: readonly string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Child = {
    process: child,
    output: '',
    exited: new Promise((done) => child.on('close', (code, signal) => done({ code, signal }))),
  };
  child.stdout!.on('data', (c: Buffer) => (out.output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out.output += c.toString('utf8')));
  return out;
}

/** Polls until `test` holds (or throws after `ms`). */
export async function until(test: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Completed jobs of the lane a plain IMAP batch uses. */
export async function completedCount(connection: RedisOptions, prefix: string): Promise<number> {
  const queue = new Queue(queueName('imap'), { connection, prefix });
  // While the test's Redis is down on purpose, the reconnect attempts are expected.
  queue.on('error', () => undefined);
  try {
    return (await queue.getJobCounts('completed')).completed ?? 0;
  } finally {
    await queue.close();
  }
}

/** Every key and value under the prefix, as text, for the secret scan. */
export async function dumpRedis(connection: RedisOptions, prefix: string): Promise<string> {
  const redis = new Redis(connection);
  const parts: string[] = [];
  try {
    for (const key of await redis.keys(`${prefix}:*`)) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      else parts.push(`(${type})`);
    }
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}

/** Removes every queue and heartbeat of the prefix. */
export async function obliterate(connection: RedisOptions, prefix: string): Promise<void> {
  for (const lane of LANES) {
    const queue = new Queue(queueName(lane), { connection, prefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  const redis = new Redis(connection);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * Reads every target back from Dovecot and compares its messages by content with what was seeded
 * into the source: returns, per pair, the hashes missing on the target and those found more than once.
 */
export async function contentProblems(pairs: readonly TestPair[]): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < pairs.length; i += 10) {
    await Promise.all(
      pairs.slice(i, i + 10).map(async (p) => {
        const seen = new Map<string, number>();
        for (const list of (await readMailbox(endpointFor(p.target))).values()) for (const m of list) seen.set(sha(m.content), (seen.get(sha(m.content)) ?? 0) + 1);
        const expected = new Map<string, number>();
        for (const m of p.seeded) expected.set(sha(m.content), (expected.get(sha(m.content)) ?? 0) + 1);
        for (const [hash, want] of expected) {
          const n = seen.get(hash) ?? 0;
          if (n !== want) problems.push(`${p.target.user}: a source message (${want} on the source) is there ${n} times`);
        }
        const total = [...seen.values()].reduce((a, b) => a + b, 0);
        if (total !== p.seeded.length) problems.push(`${p.target.user}: ${total} messages for ${p.seeded.length} seeded`);
      }),
    );
  }
  return problems;
}

/** The fixture CA file for --ca. */
export function caFile(): string {
  return testServers().ca;
}
