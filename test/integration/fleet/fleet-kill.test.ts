import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FleetStatus } from '../../../shared/domain/fleet.ts';
import { parseRedisUrl, type RedisOptions } from '../../../electron/fleet/fleet-redis.ts';
import { caFile, completedCount, contentProblems, dumpRedis, fleetKey, obliterate, seedPairs, startCli, until, writePlan, type Child } from './fleet-support.ts';

// 60 mailboxes of 8 corpus messages each (480 messages); three workers of 4 mailboxes at a time, so each kill and
// the graceful stop come while every worker holds running jobs (the retries asserted below show the kills stalled
// some). The kills land at the same fractions of the batch whatever its size: 300 mailboxes took 339 s of a
// 27-minute CI run on a slow two-core machine, 120 took 108 s of a 22-minute one.
const MAILBOXES = 60;
const EACH = 8;
const REDIS = 'redis://127.0.0.1:6379';
const connection = parseRedisUrl(REDIS, {}) as RedisOptions;
const prefix = `fleet-kill-${process.pid}-${Date.now()}`;
const children: Child[] = [];

afterAll(async () => {
  // Every child gone before the keys go: a live worker would write its queue keys again.
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await obliterate(connection, prefix);
});

describe('a fleet of three mailroom workers against Dovecot', () => {
  it(`migrates ${MAILBOXES} mailboxes while one worker is SIGKILLed twice and another stopped with SIGTERM: every message once, no secret in Redis or logs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-fleet-'));
    const pairs = await seedPairs('fk', MAILBOXES, EACH);
    const plan = writePlan(dir, pairs);
    const passphrase = 'fleet passphrase for the kill test';
    const key = await fleetKey(dir, 'fleet.key', passphrase);
    const env = { MAILROOM_FLEET_PASSPHRASE: passphrase, MAILROOM_FLEET_LOCK_MS: '3000', MAILROOM_HOME: join(dir, 'home') };
    const state = `sqlite:${join(dir, 'state.db')}`;
    const worker = (): Child => {
      const c = startCli(['worker', '--redis', REDIS, '--state', state, '--key', key, '--concurrency', '4', '--queue-prefix', prefix], env);
      children.push(c);
      return c;
    };
    const controller = startCli(['migrate', '--json', '--plan', plan, '--fleet', REDIS, '--fleet-key', `${key}.pub`, '--state', state, '--ca', caFile(), '--queue-prefix', prefix], env);
    children.push(controller);
    let a = worker();
    const b = worker();
    worker();

    // Kills at about a tenth and a third of the batch, the graceful stop at half of it.
    await until(async () => {
      // A controller that ended before its batch did says why here, not as a timeout four minutes later.
      if (controller.process.exitCode !== null) throw new Error(`the controller exited early (${controller.process.exitCode}): ${controller.output}`);
      return (await completedCount(connection, prefix)) >= MAILBOXES / 10;
    }, 240_000, 'a tenth of the mailboxes done');
    a.process.kill('SIGKILL');
    a = worker();
    await until(async () => (await completedCount(connection, prefix)) >= MAILBOXES / 3, 240_000, 'a third of the mailboxes done');
    a.process.kill('SIGKILL');
    worker();
    await until(async () => (await completedCount(connection, prefix)) >= MAILBOXES / 2, 240_000, 'half of the mailboxes done');
    b.process.kill('SIGTERM');
    const stopped = await Promise.race([b.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    expect(stopped, b.output).toEqual({ code: 0, signal: null });
    expect(b.output).toMatch(/SIGTERM: stopping/);

    const end = await Promise.race([controller.exited, new Promise<null>((r) => setTimeout(() => r(null), 300_000))]);
    const lines = controller.output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(end?.code, controller.output.slice(-3000)).toBe(0);
    const reports = lines.filter((l) => l['event'] === 'report');
    expect(reports).toHaveLength(MAILBOXES);
    expect(reports.every((r) => r['complete'] === true)).toBe(true);

    // The kills stalled jobs that other workers took over: the status counts those as retries.
    const status = startCli(['fleet', 'status', '--json', '--redis', REDIS, '--queue-prefix', prefix], env);
    await status.exited;
    const fleet = JSON.parse(status.output) as FleetStatus;
    expect(fleet.batches).toHaveLength(1);
    expect(fleet.batches[0]).toMatchObject({ completed: MAILBOXES, failed: 0, waiting: 0, active: 0 });
    expect(fleet.batches[0]!.retries).toBeGreaterThan(0);

    // By content, read back from Dovecot: every seeded message is on its target exactly once.
    expect(await contentProblems(pairs)).toEqual([]);

    // No password anywhere in Redis, in the workers' logs or in the controller's output.
    const redisText = await dumpRedis(connection, prefix);
    expect(redisText.length).toBeGreaterThan(10_000);
    const logs = children.map((c) => c.output).join('\n');
    const leaks = pairs.flatMap((p) => [p.source.password, p.target.password]).filter((pw) => redisText.includes(pw) || logs.includes(pw));
    expect(leaks).toEqual([]);
    expect(redisText).not.toContain(passphrase);
    expect(redisText).not.toContain(readFileSync(key, 'utf8').split('\n')[1]!);
  }, 900_000);
});
