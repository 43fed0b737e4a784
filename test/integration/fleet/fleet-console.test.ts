import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { parseRedisUrl, queueName, type RedisOptions } from '../../../electron/fleet/fleet-redis.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { FleetSettings } from '../../../shared/domain/fleet.ts';
import type { MigrationBatch, MigrationPlan } from '../../../shared/domain/migration.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { addImapUsersKnown, testServers } from '../../support/servers.ts';
import { servers } from '../migration/support.ts';
import { contentProblems, dumpRedis, fleetKey, obliterate, seedPairs, startCli, until, type Child, type TestPair } from './fleet-support.ts';

// A console batch (through the router, as the renderer calls it) run by two `mailroom worker` processes.
const REDIS = 'redis://127.0.0.1:6379';
const connection = parseRedisUrl(REDIS, {}) as RedisOptions;
const prefix = `fleet-console-${process.pid}-${Date.now()}`;
const passphrase = 'fleet passphrase for the console test';
const children: Child[] = [];
const dir = mkdtempSync(join(tmpdir(), 'mailroom-fleet-console-'));
let services: Services | null = null;
const vault = new MemoryVault();

afterAll(async () => {
  await services?.migration.shutdown();
  // Every child gone before the keys go: a live worker would write its queue keys again.
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
  services?.close();
  await obliterate(connection, prefix);
  rmSync(dir, { recursive: true, force: true });
});

async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const r = (await services!.router.dispatch(channel, args)) as Result<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

const batchOf = (id: string): Promise<MigrationBatch> => call<MigrationBatch>('migration.getBatch', id);

async function settledBatch(id: string, statuses: readonly string[], ms: number): Promise<MigrationBatch> {
  let batch = await batchOf(id);
  await until(async () => statuses.includes((batch = await batchOf(id)).status), ms, `batch ${statuses.join(' or ')} (it is ${batch.status})`);
  return batch;
}

async function planOf(pairs: readonly TestPair[], name: string): Promise<MigrationPlan> {
  const url = (u: string): string => `imap+plain://${encodeURIComponent(u)}@127.0.0.1:${servers().imap.port}`;
  const rows = pairs.map((p) => `${url(p.source.user)},${url(p.target.user)},${p.source.password},${p.target.password}`);
  return call<MigrationPlan>('migration.createPlanFromCsv', { name, csv: ['source,target,source_password,target_password', ...rows].join('\n'), preset: 'dovecot', inventory: false });
}

// Jobs of the batch still waiting in the lane (a paused or cancelled batch must leave none).
async function waitingJobs(): Promise<number> {
  const queue = new Queue(queueName('dovecot'), { connection, prefix });
  try {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
    return (counts['waiting'] ?? 0) + (counts['delayed'] ?? 0) + (counts['prioritized'] ?? 0);
  } finally {
    await queue.close();
  }
}

describe('a console batch on the fleet', () => {
  it('runs on two mailroom workers, pauses, resumes and cancels; every message lands once, read back from Dovecot', async () => {
    const key = await fleetKey(dir, 'fleet.key', passphrase);
    const state = `sqlite:${join(dir, 'state.db')}`;
    services = composeServices({ dataDir: join(dir, 'console'), vault, logger: createFileLogger(join(dir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
    services.migration.start();

    // The settings as the console's dialog stores them: the .pub file pasted as it is.
    const settings = await call<FleetSettings>('migration.setFleetSettings', { redis: REDIS, state, recipient: readFileSync(`${key}.pub`, 'utf8'), prefix });
    expect(settings).toMatchObject({ redis: REDIS, state, hasRedisPassword: false });
    expect(settings.recipient).toMatch(/^age1/);

    const env = { MAILROOM_FLEET_PASSPHRASE: passphrase, MAILROOM_HOME: join(dir, 'home') };
    for (let i = 0; i < 2; i += 1) children.push(startCli(['worker', '--redis', REDIS, '--state', state, '--key', key, '--concurrency', '1', '--queue-prefix', prefix], env));
    const pids = children.map((c) => c.process.pid);

    // Pause after the first mailbox, nothing moves while paused, then resume to the end.
    const pairs = await seedPairs('fc', 16, 40);
    const plan = await planOf(pairs, 'fleet console');
    const fleet = { redis: REDIS, state, prefix };
    const started = await call<MigrationBatch>('migration.startBatch', plan.id, { fleet });
    await until(async () => (await batchOf(started.id)).pairsDone >= 1, 120_000, 'a first mailbox done on the fleet');
    await call('migration.pauseBatch', started.id);
    const paused = await settledBatch(started.id, ['paused'], 60_000);
    expect(paused.pairs.some((p) => p.status === 'paused')).toBe(true);
    expect(paused.pairs.every((p) => p.status === 'paused' || p.status === 'done')).toBe(true);
    expect(await waitingJobs()).toBe(0);
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await batchOf(started.id)).pairs.map((p) => [p.status, p.copied])).toEqual(paused.pairs.map((p) => [p.status, p.copied]));

    await call('migration.resumeBatch', started.id);
    const done = await settledBatch(started.id, ['done', 'failed'], 240_000);
    expect(done.status, JSON.stringify(done.pairs.map((p) => p.error))).toBe('done');
    expect(done.copied).toBe(16 * 40);
    expect(done.pairs.every((p) => p.lane === 'dovecot' && p.verified?.clean)).toBe(true);
    // Both workers ran mailboxes of this batch.
    const workers = new Set(done.pairs.map((p) => Number(p.worker?.split(':').at(-1))));
    expect([...workers].sort()).toEqual([...pids].sort());
    expect(await contentProblems(pairs)).toEqual([]);

    // Cancel: the running mailboxes stop, the waiting ones leave the lane, nothing is left to run.
    const more = await seedPairs('fcc', 12, 40);
    const second = await call<MigrationBatch>('migration.startBatch', (await planOf(more, 'fleet cancel')).id, { fleet });
    // A worker has taken a mailbox (it runs, or a small one is already done).
    await until(async () => (await batchOf(second.id)).pairs.some((p) => p.status !== 'queued'), 120_000, 'a mailbox taken by a worker');
    await call('migration.cancelBatch', second.id);
    const cancelled = await settledBatch(second.id, ['cancelled'], 60_000);
    const errors = JSON.stringify(cancelled.pairs.map((p) => [p.status, p.error]));
    expect(cancelled.pairs.some((p) => p.status === 'cancelled'), errors).toBe(true);
    expect(cancelled.pairs.every((p) => p.status === 'cancelled' || p.status === 'done'), errors).toBe(true);
    expect(await waitingJobs()).toBe(0);
    await until(async () => (await call<{ workers: { active: number }[] }>('migration.fleetStatus', { redis: REDIS, prefix })).workers.every((w) => w.active === 0), 30_000, 'the workers idle');

    // A delta pass on the cancelled batch finishes it: what the cancel left is copied, nothing twice.
    await call('migration.deltaPass', second.id);
    expect((await settledBatch(second.id, ['done', 'failed'], 240_000)).status).toBe('done');
    expect(await contentProblems(more)).toEqual([]);

    // No password in Redis or in the workers' output.
    const redisText = await dumpRedis(connection, prefix);
    const logs = children.map((c) => c.output).join('\n');
    const leaks = [...pairs, ...more].flatMap((p) => [p.source.password, p.target.password]).filter((pw) => redisText.includes(pw) || logs.includes(pw));
    expect(leaks).toEqual([]);
  }, 900_000);

  it('keeps the Redis password in the keychain only, refuses bad settings in one line, and retries a failed mailbox on the fleet', async () => {
    const key = `${dir}/fleet.key`;
    const state = `sqlite:${join(dir, 'state.db')}`;
    const recipient = readFileSync(`${key}.pub`, 'utf8');
    const bad = async (input: object): Promise<string> => {
      const r = (await services!.router.dispatch('migration.setFleetSettings', [input])) as Result<unknown>;
      return r.ok ? 'accepted' : `${r.error.code}: ${r.error.message}`;
    };
    expect(await bad({ redis: 'redis://:secret@127.0.0.1:6379', state, recipient })).toMatch(/^input.invalid: .*password in the URL/);
    expect(await bad({ redis: REDIS, state: 'postgres:/nowhere', recipient })).toMatch(/^input.invalid: The fleet state URL/);
    expect(await bad({ redis: REDIS, state, recipient: '/etc/passwd' })).toMatch(/^input.invalid: .*age recipient/);

    const password = `redis-${randomBytes(9).toString('hex')}`;
    expect(await call<FleetSettings>('migration.setFleetSettings', { redis: REDIS, state, recipient, prefix, redisPassword: password })).toMatchObject({ hasRedisPassword: true });
    expect(await vault.get('fleet:redis-password')).toBe(password);
    const consoleDir = join(dir, 'console');
    expect(readdirSync(consoleDir).filter((f) => readFileSync(join(consoleDir, f)).includes(password))).toEqual([]);
    expect(await call<FleetSettings>('migration.setFleetSettings', { redis: REDIS, state, recipient, prefix, redisPassword: null })).toMatchObject({ hasRedisPassword: false });

    // A target account Dovecot does not know yet: the mailbox fails; once it exists, Retry failed finishes it.
    const [pair] = await seedPairs('fcr', 1, 30);
    const target = { user: `fcr-late-${randomBytes(3).toString('hex')}@example.test`, password: randomBytes(12).toString('base64url') };
    const late = { ...pair!, target };
    const started = await call<MigrationBatch>('migration.startBatch', (await planOf([late], 'fleet retry')).id, { fleet: { redis: REDIS, state, prefix } });
    const failed = await settledBatch(started.id, ['failed', 'done'], 120_000);
    expect(failed.status).toBe('failed');
    expect(failed.pairs[0]!.error?.message).toBeTruthy();
    await addImapUsersKnown(testServers(), [target]);
    await new Promise((r) => setTimeout(r, 1_100));
    await call('migration.retryFailed', started.id);
    expect((await settledBatch(started.id, ['done', 'failed'], 120_000)).status).toBe('done');
    expect(await contentProblems([late])).toEqual([]);
  }, 300_000);
});
