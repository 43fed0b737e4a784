import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRedisUrl, queueName, type RedisOptions } from '../../../electron/fleet/fleet-redis.ts';
import { throttlingProxy } from '../../fakes/throttling-proxy.ts';
import { testServers } from '../../support/servers.ts';
import { urlFor } from '../migration/support.ts';
import { caFile, contentProblems, fleetKey, obliterate, seedPairs, startCli, type Child } from './fleet-support.ts';

const REDIS = 'redis://127.0.0.1:6379';
const connection = parseRedisUrl(REDIS, {}) as RedisOptions;
const prefix = `fleet-throttle-${process.pid}-${Date.now()}`;
const children: Child[] = [];

afterAll(async () => {
  // Every child gone before the keys go: a live worker would write its queue keys again.
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await obliterate(connection, prefix);
});

describe('a throttling target on the fleet', () => {
  it('pushes the job back with the server\'s own delay once the engine\'s back-offs are spent, and ends with every message once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-fleet-throttle-'));
    const [pair] = await seedPairs('ft', 1, 20);
    // More refusals than one run's back-offs absorb (9 for the batch, then one per message): the run ends with throttled messages.
    const proxy = await throttlingProxy(testServers().imap.host, testServers().imap.port, 40);
    try {
      const passphrase = 'fleet passphrase for the throttle test';
      const key = await fleetKey(dir, 'fleet.key', passphrase);
      writeFileSync(join(dir, 's.pw'), pair!.source.password, { mode: 0o600 });
      writeFileSync(join(dir, 't.pw'), pair!.target.password, { mode: 0o600 });
      const plan = join(dir, 'pairs.csv');
      writeFileSync(plan, `source,target,source_password_file,target_password_file\n${urlFor(pair!.source)},imap+plain://${encodeURIComponent(pair!.target.user)}@127.0.0.1:${proxy.port},${join(dir, 's.pw')},${join(dir, 't.pw')}\n`);
      const env = { MAILROOM_FLEET_PASSPHRASE: passphrase, MAILROOM_HOME: join(dir, 'home') };
      const state = `sqlite:${join(dir, 'state.db')}`;
      const worker = startCli(['worker', '--redis', REDIS, '--state', state, '--key', key, '--queue-prefix', prefix], env);
      children.push(worker);
      const controller = startCli(['migrate', '--json', '--concurrency', '1', '--plan', plan, '--fleet', REDIS, '--fleet-key', `${key}.pub`, '--state', state, '--ca', caFile(), '--queue-prefix', prefix], env);
      children.push(controller);
      const end = await Promise.race([controller.exited, new Promise<null>((r) => setTimeout(() => r(null), 120_000))]);
      expect(end?.code, controller.output.slice(-3000)).toBe(0);
      expect(proxy.throttled()).toBe(40);
      expect(worker.output).toMatch(/the target is throttling; the migrate-imap lane waits 150 ms/);

      const queue = new Queue(queueName('imap'), { connection, prefix });
      const [job] = await queue.getJobs(['completed']);
      await queue.close();
      expect(job!.attemptsStarted).toBeGreaterThanOrEqual(2);
      expect(job!.returnvalue).toMatchObject({ complete: true, failed: 0 });
      expect(await contentProblems([pair!])).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 240_000);
});
