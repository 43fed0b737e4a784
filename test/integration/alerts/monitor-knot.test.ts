import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { EvaluationReport } from '../../../electron/alerts/monitor.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { testServers } from '../../support/servers.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { dnsServer, publishZone } from '../dns/dns-fixtures.ts';

const DMARC = '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@clean.dlv.test"';
const ipv6 = (): boolean => (testServers().dns as unknown as { ipv6?: boolean }).ipv6 === true;
const zone = (dmarc: boolean): string => `@ MX 10 mx.clean.dlv.test.\n@ TXT "v=spf1 ip4:203.0.113.10 -all"\n${dmarc ? DMARC : ''}`;

// `mailroom monitor --once` against the real Knot: zones edited and reloaded between evaluations.
describe.skipIf(testServers().dns === null)('mailroom monitor: DNS drift raises after two evaluations, flapping raises nothing', () => {
  const vault = new MemoryVault();
  let dataDir: string;
  let resolvers: string[];

  const evaluate = async (servers = resolvers): Promise<{ report: EvaluationReport; err: string }> => {
    const run = await runCliInProcess(['monitor', '--once', '--json', '--no-smtp', '--test-nets', '--dnsbl', 'bl-alerts.dlv.test', ...servers.flatMap((s) => ['--dns', s])], { dataDir, vault });
    expect(run.code, run.err).toBe(0);
    // One line per source; the stored standards are evaluated beside the DNS checks.
    const reports = run.out.trim().split('\n').map((l) => JSON.parse(l) as EvaluationReport);
    return { report: reports.find((r) => r.source === 'dns:stored-domains')!, err: run.err };
  };
  // The zones may carry other standing findings (PTR of the SPF address, …); the drift under test is DMARC's.
  const alertsFor = (r: EvaluationReport, target: string): string[] => r.alerts.filter((a) => a.target === target && a.rule === 'dmarc.missing').map((a) => `${a.state} ${a.rule}`);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-monitor-'));
    const [host, port] = dnsServer().split(':');
    // Knot listens on 127.0.0.1 and ::1: two resolvers that vote separately.
    resolvers = ipv6() ? [`${host}:${port}`, `[::1]:${port}`] : [`${host}:${port}`, `${host}:${port}`];
    // A test DNSBL: .99 is listed, .98 answers the Spamhaus "query refused" code.
    await publishZone('bl-alerts.dlv.test', '99.113.0.203 A 127.0.0.2\n98.113.0.203 A 127.255.255.254');
    await publishZone('drift.dlv.test', zone(true));
    await publishZone('flap.dlv.test', zone(false));
    await publishZone('listed.dlv.test', zone(true));
    await publishZone('refused.dlv.test', zone(true));
    const services = composeServices({ dataDir, vault, logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
    for (const [domain, ip] of [['drift.dlv.test'], ['flap.dlv.test'], ['listed.dlv.test', '203.0.113.99'], ['refused.dlv.test', '203.0.113.98']] as const) {
      const r = await services.router.dispatch('dns.monitor', [{ domain, ...(ip ? { sendingIps: [ip] } : {}) }]);
      expect(r.ok).toBe(true);
    }
    services.close();
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('raises on the second evaluation after a zone edit, resolves after the fix; a flapping DMARC record never raises', { timeout: 600_000 }, async () => {
    if (!ipv6()) console.warn('no ::1 here: both votes come from 127.0.0.1');
    // Evaluation 1: drift is fine, flap is broken.
    const e1 = (await evaluate()).report;
    expect(e1.source).toBe('dns:stored-domains');
    expect(alertsFor(e1, 'drift.dlv.test')).toEqual([]);
    // The edit: drift loses its DMARC record; flap gets one.
    await publishZone('drift.dlv.test', zone(false));
    await publishZone('flap.dlv.test', zone(true));
    const e2 = (await evaluate()).report;
    expect(alertsFor(e2, 'drift.dlv.test')).toEqual([]);
    expect(alertsFor(e2, 'flap.dlv.test')).toEqual([]);
    await publishZone('flap.dlv.test', zone(false));
    const e3 = (await evaluate()).report;
    expect(alertsFor(e3, 'drift.dlv.test')).toEqual(['raised dmarc.missing']);
    expect(alertsFor(e3, 'flap.dlv.test')).toEqual([]);
    // The fix, and flap flips again.
    await publishZone('drift.dlv.test', zone(true));
    await publishZone('flap.dlv.test', zone(true));
    const e4 = (await evaluate()).report;
    expect(alertsFor(e4, 'drift.dlv.test')).toEqual(['resolved dmarc.missing']);
    await publishZone('flap.dlv.test', zone(false));
    const e5 = (await evaluate()).report;
    expect(alertsFor(e5, 'flap.dlv.test')).toEqual([]);

    // The whole story, read back from the cache through the CLI.
    const listed = await runCliInProcess(['alerts', 'list', '--json'], { dataDir, vault });
    const alerts = listed.json() as { rule: string; target: string; state: string }[];
    const dmarcAlerts = alerts.filter((a) => a.rule === 'dmarc.missing');
    expect(dmarcAlerts.filter((a) => a.target === 'drift.dlv.test').map((a) => a.state)).toEqual(['resolved']);
    expect(dmarcAlerts.filter((a) => a.target === 'flap.dlv.test')).toEqual([]);
    // A listing raises; the 127.255.255.254 error answer is not a listing.
    expect(alerts.filter((a) => a.rule.startsWith('dnsbl.')).map((a) => `${a.target} ${a.rule}`)).toEqual(['listed.dlv.test dnsbl.listed']);
    // Every transition is in the audit journal (the Activity page).
    const journal = await runCliInProcess(['audit', 'list', '--json'], { dataDir, vault });
    expect(journal.out).toContain('alerts.raised');
    expect(journal.out).toContain('alerts.resolved');
  });

  it('with one resolver, DNS findings never raise and the monitor says why', { timeout: 300_000 }, async () => {
    await publishZone('drift.dlv.test', zone(false));
    const one = [resolvers[0]!];
    const first = await evaluate(one);
    expect(first.err).toMatch(/only one resolver .* never raise/);
    const second = await evaluate(one);
    expect(alertsFor(second.report, 'drift.dlv.test')).toEqual([]);
  });

  it('runs until SIGTERM, then finishes the evaluation in flight and exits 0', { timeout: 300_000 }, async () => {
    // Its own data folder and vault file: a separate process must not share the in-memory vault's journal key.
    const own = mkdtempSync(join(tmpdir(), 'mr-monitor-sigterm-'));
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url)), 'monitor', '--every', '10s', '--no-smtp', '--dns', resolvers[0]!, '--data-dir', own, '--vault', 'file', '--passphrase-env', 'MR_PASS'], {
      env: { ...process.env, MR_PASS: 'monitor-test-passphrase' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    await new Promise<void>((done) => child.stdout.on('data', () => out.includes('Monitoring dns:stored-domains') && done()));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(out).toContain('Monitor stopped.');
    rmSync(own, { recursive: true, force: true });
  });
});
