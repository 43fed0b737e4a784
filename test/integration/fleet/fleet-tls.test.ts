import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FleetStatus } from '../../../shared/domain/fleet.ts';
import { freePort } from '../../support/free-port.ts';
import { fleetKey, startCli, until, type Child } from './fleet-support.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const processes: ChildProcess[] = [];
const children: Child[] = [];

afterAll(() => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  for (const p of processes) if (p.exitCode === null) p.kill('SIGKILL');
});

async function status(env: Record<string, string>, url: string): Promise<Child> {
  const run = startCli(['fleet', 'status', '--json', '--redis', url, '--queue-prefix', 'tls'], env);
  await run.exited;
  return run;
}

describe('the fleet over rediss:// with a password', () => {
  it('connects with TLS and MAILROOM_REDIS_PASSWORD, refuses a password in the URL, and says in one line when the password is wrong', async () => {
    const fixtures = process.env['MAILROOM_FIXTURES'] ?? mkdtempSync(join(tmpdir(), 'mailroom-fleet-tls-'));
    const caEnv = { ...process.env, MAILROOM_FIXTURES: fixtures };
    const ca = execFileSync('sh', [join(REPO, 'test/servers/ca.sh'), 'init'], { env: caEnv, encoding: 'utf8' }).trim();
    const [cert, key] = execFileSync('sh', [join(REPO, 'test/servers/ca.sh'), 'issue', 'fleet-redis', '127.0.0.1', 'localhost'], { env: caEnv, encoding: 'utf8' }).trim().split('\n');
    const port = await freePort();
    const password = 'redis-Password-9f3c';
    const redis = spawn('redis-server', ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', cert!, '--tls-key-file', key!, '--tls-ca-cert-file', ca, '--tls-auth-clients', 'no', '--requirepass', password, '--save', ''], { stdio: 'ignore' });
    processes.push(redis);
    const url = `rediss://127.0.0.1:${port}`;
    const env = { NODE_EXTRA_CA_CERTS: ca, MAILROOM_REDIS_PASSWORD: password };
    await until(async () => (await status(env, url)).output.startsWith('{'), 20_000, 'the TLS Redis');

    const dir = mkdtempSync(join(tmpdir(), 'mailroom-fleet-tls-'));
    const fleet = await fleetKey(dir, 'fleet.key', 'fleet passphrase for the TLS test');
    const worker = startCli(['worker', '--redis', url, '--state', `sqlite:${join(dir, 'state.db')}`, '--key', fleet, '--queue-prefix', 'tls'], { ...env, MAILROOM_FLEET_PASSPHRASE: 'fleet passphrase for the TLS test' });
    children.push(worker);
    await until(async () => (JSON.parse((await status(env, url)).output) as FleetStatus).workers.length === 1, 30_000, 'the worker heartbeat');
    const seen = JSON.parse((await status(env, url)).output) as FleetStatus;
    expect(seen.workers[0]).toMatchObject({ pid: worker.process.pid, active: 0 });

    const inUrl = await status({ NODE_EXTRA_CA_CERTS: ca }, `rediss://:${password}@127.0.0.1:${port}`);
    expect(await inUrl.exited).toMatchObject({ code: 2 });
    expect(inUrl.output.trim().split('\n')).toHaveLength(1);
    expect(inUrl.output).toMatch(/password in the URL is not accepted/);
    expect(inUrl.output).not.toContain(password);

    const wrong = await status({ NODE_EXTRA_CA_CERTS: ca, MAILROOM_REDIS_PASSWORD: 'not-the-password' }, url);
    expect(await wrong.exited).toMatchObject({ code: 1 });
    expect(wrong.output).toMatch(/Cannot read the fleet from Redis at 127\.0\.0\.1:\d+: .*(WRONGPASS|invalid username-password)/);
    expect(wrong.output).not.toMatch(/\n\s+at /);

    worker.process.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output).not.toContain(password);
  }, 120_000);
});
