import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { parseRedisUrl, type RedisOptions } from '../../../electron/fleet/fleet-redis.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { FleetStatus } from '../../../shared/domain/fleet.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { fleetKey, obliterate, startCli, until, type Child } from './fleet-support.ts';

const REDIS = 'redis://127.0.0.1:6379';
const prefix = `fleet-ipc-${process.pid}-${Date.now()}`;
const children: Child[] = [];
let services: Services | null = null;

afterAll(async () => {
  // Every child gone before the keys go: a live worker would write its queue keys again.
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  services?.close();
  await obliterate(parseRedisUrl(REDIS, {}) as RedisOptions, prefix);
});

describe('migration.fleetStatus through the router', () => {
  it("lists a running worker's heartbeat, and refuses a password inside the URL as input.invalid", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-fleet-ipc-'));
    const key = await fleetKey(dir, 'fleet.key', 'fleet passphrase for the IPC test');
    const worker = startCli(['worker', '--redis', REDIS, '--state', `sqlite:${join(dir, 'state.db')}`, '--key', key, '--queue-prefix', prefix], { MAILROOM_FLEET_PASSPHRASE: 'fleet passphrase for the IPC test' });
    children.push(worker);
    const s = composeServices({ dataDir: join(dir, 'app'), vault: new MemoryVault(), logger: createFileLogger(join(dir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
    services = s;
    const read = async (input: unknown): Promise<Result<FleetStatus>> => (await s.router.dispatch('migration.fleetStatus', [input])) as Result<FleetStatus>;
    await until(async () => {
      const r = await read({ redis: REDIS, prefix });
      return r.ok && r.value.workers.some((w) => w.pid === worker.process.pid);
    }, 30_000, "the worker's heartbeat");
    const r = await read({ redis: REDIS, prefix });
    expect(r.ok && r.value.batches).toEqual([]);

    const withPassword = await read({ redis: 'redis://:secret@127.0.0.1:6379', prefix });
    expect(withPassword.ok || withPassword.error.code).toBe('input.invalid');
    expect(withPassword.ok || withPassword.error.message).not.toContain('secret');
    const badPrefix = await read({ redis: REDIS, prefix: 'a b*' });
    expect(badPrefix.ok || badPrefix.error.code).toBe('input.invalid');

    worker.process.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const gone = await read({ redis: REDIS, prefix });
    expect(gone.ok && gone.value.workers).toEqual([]);
  }, 60_000);
});
