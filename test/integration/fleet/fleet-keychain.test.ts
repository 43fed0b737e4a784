import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRedisUrl, type RedisOptions } from '../../../electron/fleet/fleet-redis.ts';
import { KeychainVault } from '../../../electron/platform/keychain-vault.ts';
import { caFile, contentProblems, obliterate, seedPairs, startCli, writePlan, type Child } from './fleet-support.ts';

// The fleet identity in the OS keychain (Secret Service here) instead of a passphrase-sealed file.
const REDIS = 'redis://127.0.0.1:6379';
const prefix = `fleet-keychain-${process.pid}-${Date.now()}`;
const service = `Mailroom-fleet-test-${randomUUID()}`;
const env = { MAILROOM_KEYCHAIN_SERVICE: service };
const dir = mkdtempSync(join(tmpdir(), 'mailroom-fleet-keychain-'));
const children: Child[] = [];

afterAll(async () => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
  await obliterate(parseRedisUrl(REDIS, {}) as RedisOptions, prefix);
  const vault = new KeychainVault(service);
  for (const account of await vault.list().catch(() => [])) await vault.delete(account);
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = startCli(args, env);
  children.push(child);
  const { code } = await child.exited;
  return { code, output: child.output };
}

describe('mailroom worker --key keychain:NAME', () => {
  it('keygen keeps the identity in the keychain only; a worker opens it from there and runs a fleet batch', async () => {
    const pub = join(dir, 'fleet.pub');
    const made = await cli(['fleet', 'keygen', '--keychain', 'k1', '--pub', pub]);
    expect(made.code, made.output).toBe(0);
    const recipient = readFileSync(pub, 'utf8').trim();
    expect(made.output).toContain(recipient);
    const identity = await new KeychainVault(service).get('fleet-identity:k1');
    expect(identity).toMatch(/^AGE-SECRET-KEY-1/);
    expect(readdirSync(dir).filter((f) => readFileSync(join(dir, f), 'utf8').includes(identity!))).toEqual([]);

    // Never over an existing key; a missing one is one clear line, exit 2.
    const again = await cli(['fleet', 'keygen', '--keychain', 'k1']);
    expect([again.code, again.output.trim()]).toEqual([2, expect.stringMatching(/already holds the fleet key "k1"/)]);
    const state = `sqlite:${join(dir, 'state.db')}`;
    const missing = await cli(['worker', '--redis', REDIS, '--state', state, '--key', 'keychain:nope', '--queue-prefix', prefix]);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/holds no fleet key "nope"/);
    expect(missing.output).not.toMatch(/\n\s+at /);

    const pairs = await seedPairs('fkc', 2, 15);
    const worker = startCli(['worker', '--redis', REDIS, '--state', state, '--key', 'keychain:k1', '--queue-prefix', prefix], env);
    children.push(worker);
    const run = await cli(['migrate', '--json', '--plan', writePlan(dir, pairs), '--fleet', REDIS, '--fleet-key', pub, '--state', state, '--ca', caFile(), '--queue-prefix', prefix]);
    expect(run.code, run.output.slice(-2000)).toBe(0);
    expect(await contentProblems(pairs)).toEqual([]);
    expect(worker.output).not.toContain(identity!);
  }, 240_000);
});
