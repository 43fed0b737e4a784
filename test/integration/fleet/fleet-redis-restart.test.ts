import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRedisUrl, type RedisOptions } from '../../../electron/fleet/fleet-redis.ts';
import { freePort } from '../../support/free-port.ts';
import { caFile, completedCount, contentProblems, dumpRedis, fleetKey, obliterate, seedPairs, startCli, until, writePlan, type Child } from './fleet-support.ts';

const children: Child[] = [];
const servers: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL');
});

// A private Redis that keeps every write in its append-only file, so a crash loses nothing acknowledged.
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], { stdio: 'ignore' });
  servers.push(server);
  const connection = parseRedisUrl(`redis://127.0.0.1:${port}`, {}) as RedisOptions;
  await until(async () => (await completedCount({ ...connection, maxRetriesPerRequest: null }, 'probe').catch(() => -1)) >= 0, 20_000, 'redis-server');
  return server;
}

describe('the fleet across a Redis restart, and a worker with the wrong key', () => {
  it('keeps going when Redis is killed and started again mid-run: every message once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-fleet-redis-'));
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const connection = parseRedisUrl(url, {}) as RedisOptions;
    let redis = await startRedis(port, dir);
    // 30 mailboxes on two workers of 3 at a time: Redis dies after the first 10, with about 6 running and 14 waiting.
    const pairs = await seedPairs('fr', 30, 10);
    const passphrase = 'fleet passphrase for the restart test';
    const key = await fleetKey(dir, 'fleet.key', passphrase);
    const env = { MAILROOM_FLEET_PASSPHRASE: passphrase, MAILROOM_FLEET_LOCK_MS: '3000', MAILROOM_HOME: join(dir, 'home') };
    const state = `sqlite:${join(dir, 'state.db')}`;
    const controller = startCli(['migrate', '--json', '--plan', writePlan(dir, pairs), '--fleet', url, '--fleet-key', `${key}.pub`, '--state', state, '--ca', caFile(), '--queue-prefix', 'restart'], env);
    children.push(controller);
    for (let i = 0; i < 2; i += 1) children.push(startCli(['worker', '--redis', url, '--state', state, '--key', key, '--concurrency', '3', '--queue-prefix', 'restart'], env));

    await until(async () => (await completedCount(connection, 'restart')) >= 10, 180_000, '10 mailboxes done');
    redis.kill('SIGKILL');
    await new Promise((r) => redis.on('exit', r));
    await new Promise((r) => setTimeout(r, 2_000));
    redis = await startRedis(port, dir);
    expect(await completedCount(connection, 'restart')).toBeGreaterThanOrEqual(10);

    const end = await Promise.race([controller.exited, new Promise<null>((r) => setTimeout(() => r(null), 240_000))]);
    expect(end?.code, controller.output.slice(-3000)).toBe(0);
    expect(controller.output.split('\n').filter((l) => l.includes('"event":"report"'))).toHaveLength(pairs.length);
    expect(await contentProblems(pairs)).toEqual([]);
    await obliterate(connection, 'restart');
  }, 600_000);

  it('fails the job with a clear error on a worker that cannot open the credentials; no secret in Redis or the logs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-fleet-key-'));
    const connection = parseRedisUrl('redis://127.0.0.1:6379', {}) as RedisOptions;
    const prefix = `fleet-wrongkey-${process.pid}-${Date.now()}`;
    const pairs = await seedPairs('fw', 2, 3);
    const right = await fleetKey(dir, 'right.key', 'the passphrase of the right key');
    const wrong = await fleetKey(dir, 'wrong.key', 'the passphrase of the wrong key');
    const state = `sqlite:${join(dir, 'state.db')}`;
    const worker = startCli(['worker', '--redis', 'redis://127.0.0.1:6379', '--state', state, '--key', wrong, '--queue-prefix', prefix], { MAILROOM_FLEET_PASSPHRASE: 'the passphrase of the wrong key' });
    children.push(worker);
    try {
      const controller = startCli(['migrate', '--plan', writePlan(dir, pairs), '--fleet', 'redis://127.0.0.1:6379', '--fleet-key', `${right}.pub`, '--state', state, '--ca', caFile(), '--queue-prefix', prefix], { MAILROOM_HOME: join(dir, 'home') });
      children.push(controller);
      const end = await Promise.race([controller.exited, new Promise<null>((r) => setTimeout(() => r(null), 120_000))]);
      expect(end?.code, controller.output).toBe(1);
      expect(controller.output).toMatch(/Cannot open the credentials of fw-s0-.* sealed to another fleet key than this worker's --key/);
      expect(controller.output).toMatch(/NOT complete/);
      expect(controller.output).not.toMatch(/\n\s+at /);
      expect(worker.output).toMatch(/failed: Cannot open the credentials/);
      const untouched = await contentProblems(pairs);
      expect(untouched.length).toBeGreaterThan(0);
      expect(untouched.every((p) => / 0 times$|: 0 messages for/.test(p)), untouched.join('\n')).toBe(true);

      const redisText = await dumpRedis(connection, prefix);
      const leaks = pairs.flatMap((p) => [p.source.password, p.target.password]).filter((pw) => redisText.includes(pw) || worker.output.includes(pw) || controller.output.includes(pw));
      expect(leaks).toEqual([]);
      expect(redisText).toContain('BEGIN AGE ENCRYPTED FILE');
    } finally {
      worker.process.kill('SIGTERM');
      await worker.exited;
      await obliterate(connection, prefix);
    }
  }, 300_000);
});
