import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createMemoryLogger } from '../../../electron/platform/logger.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';

const entry = fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url));
const domains = Array.from({ length: 40 }, (_, i) => `slow-${i}.cancel.test`);

// Issue 14 with the product rule "every long job cancellable": an evaluation stopped from the console (standards.cancel)
// or by Ctrl+C in `mailroom standards evaluate` answers at once and stores nothing. The DNS server here is a real UDP
// socket on loopback that reads every query and never answers, so without the cancel the run would wait out timeouts.
describe('cancelling a standard evaluation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-eval-cancel-'));
  let server = '';
  let queries: string[] = [];
  const sockets: Socket[] = [];

  // A fresh silent server per test, so queries a previous test left in flight cannot count as this one's.
  beforeEach(async () => {
    const silent = createSocket('udp4');
    const heard: string[] = [];
    queries = heard;
    silent.on('message', (msg) => heard.push(msg.toString('latin1')));
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    sockets.push(silent);
    server = `127.0.0.1:${silent.address().port}`;
  });

  afterAll(() => {
    for (const s of sockets) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Evaluates the named domains as run-2, cancels it once the silent server has seen a query: answered within a second, `cancelled`.
  async function cancelsAtOnce(services: Services): Promise<void> {
    const named = services.standards.evaluate('email baseline', { domains, runId: 'run-2' });
    await expect.poll(() => queries.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const at = Date.now();
    expect(await services.router.dispatch('standards.cancel', ['run-2'])).toEqual({ ok: true, value: { cancelled: true } });
    const result = await named;
    expect(Date.now() - at).toBeLessThan(1000);
    expect(result.ok ? null : result.error.code).toBe('cancelled');
  }

  it('stops a console evaluation by its run id: cancelled, and neither an evaluation nor held deviations stored', async () => {
    const services = composeServices({ dataDir: join(dir, 'console'), vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback', dnsServers: [server] });
    try {
      const started = services.router.dispatch('standards.evaluate', ['email baseline', { runId: 'run-1' }]);
      // A second evaluation may not take the same id while the first runs.
      expect((await services.router.dispatch('standards.evaluate', ['email baseline', { runId: 'run-1' }])).ok).toBe(false);
      // The run is under way once the server has seen a query (the cache has no domain, so ask for named ones through the service).
      await cancelsAtOnce(services);
      expect(await started).toMatchObject({ ok: true });
      // Only the empty-cache evaluation (run-1) was stored; the cancelled one left no trace.
      const latest = services.standards.latest('email baseline');
      expect(latest.ok && latest.value?.evaluated).toBe(0);
      expect(await services.router.dispatch('standards.cancel', ['run-2'])).toEqual({ ok: true, value: { cancelled: false } });
    } finally {
      services.close();
    }
  });

  it('does the same with evaluations in a worker thread (as `mailroom serve` runs them): stored by the thread, cancelled before any store', async () => {
    const services = composeServices({ dataDir: join(dir, 'thread'), vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback', dnsServers: [server] });
    services.standards.evaluateOffThread(true);
    try {
      const first = await services.router.dispatch('standards.evaluate', ['email baseline', { runId: 'run-1' }]);
      expect(first).toMatchObject({ ok: true, value: { evaluated: 0 } });
      // Written by the thread's own connection, read back here through the caller's.
      const stored = services.standards.latest('email baseline');
      expect(stored.ok && stored.value?.at).toBe(first.ok ? (first.value as { at: string }).at : 'no evaluation');
      await cancelsAtOnce(services);
      const latest = services.standards.latest('email baseline');
      expect(latest.ok && latest.value?.at).toBe(stored.ok && stored.value?.at);
      expect(latest.ok && latest.value?.evaluated).toBe(0);
    } finally {
      services.close();
    }
  });

  it('exits 130 on Ctrl+C in `standards evaluate` with one line, and stores no evaluation', async () => {
    const dataDir = join(dir, 'cli');
    const child = spawn(process.execPath, [entry, 'standards', 'evaluate', '--dns', server, ...domains, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Interrupt once the evaluation is asking DNS, as a user pressing Ctrl+C on a slow run would.
    await expect.poll(() => queries.length, { timeout: 20_000 }).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual(['The evaluation of "email baseline" was cancelled; nothing was stored.']);

    const services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
    try {
      const latest = services.standards.latest('email baseline');
      expect(latest).toEqual({ ok: true, value: null });
    } finally {
      services.close();
    }
  }, 60_000);
});
