import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FindingsChanged, GeneratedRecords } from '../../../shared/domain/dns.ts';
import { composeServices } from '../../../electron/app/compose.ts';
import { openDatabase } from '../../../electron/db/database.ts';
import { DnsRunsRepo } from '../../../electron/db/dns-runs-repo.ts';
import { SettingsRepo } from '../../../electron/db/settings-repo.ts';
import { DnsService } from '../../../electron/dns/dns-service.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { dnsServer, issueCert, publishZone } from './dns-fixtures.ts';
import { policyHost } from './tls-listeners.ts';

// The service fixtures publish one name server only.
const publish = (name: string, body: string) => publishZone(name, body, { nameServers: ['ns1.dlv.test'] });

const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function service(clock: { now: () => Date }, changes: FindingsChanged[], extra: { mtaStsPort?: number; ca?: string } = {}): DnsService {
  return new DnsService({
    repo: new DnsRunsRepo(openDatabase(':memory:')),
    vault: new MemoryVault(),
    clock,
    settings: { servers: [dnsServer()], ...(extra.mtaStsPort ? { mtaStsPort: extra.mtaStsPort } : {}), options: { smtp: { enabled: false, port: 25, timeoutMs: 1000 }, testNets: true, httpsTimeoutMs: 2000, ca: extra.ca } },
    onChanges: (c) => changes.push(c),
  });
}

describe('deliverability service', () => {
  it('asks the resolver saved in Settings, says so on every result, and refuses a server that is not an address', async () => {
    const db = openDatabase(':memory:');
    const svc = new DnsService({
      repo: new DnsRunsRepo(db),
      vault: new MemoryVault(),
      clock: { now: () => new Date() },
      settings: { servers: [], options: { smtp: { enabled: false, port: 25, timeoutMs: 1000 }, testNets: true } },
      prefs: new SettingsRepo(db),
      onChanges: () => undefined,
    });
    const refused = await svc.setResolver(['dns.example.com']);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/not a DNS server/);
    const saved = await svc.setResolver([dnsServer()]);
    expect(saved.ok && saved.value).toMatchObject({ servers: [dnsServer()], effective: dnsServer(), fixedAtStart: false });
    // clean.dlv.test exists only on the test's Knot: a clean score proves the saved server answered
    const checked = await svc.check({ domains: ['clean.dlv.test'], dkimSelectors: ['sel2048'], sendingIps: ['203.0.113.10'] });
    expect(checked.ok && checked.value[0]).toMatchObject({ domain: 'clean.dlv.test', resolver: dnsServer() });
    expect(checked.ok && checked.value[0]!.score).toBeGreaterThan(90);
    const latest = svc.latest('clean.dlv.test');
    expect(latest.ok && latest.value?.resolver).toBe(dnsServer());
  });

  it('stores runs, re-checks monitored domains when due, and reports findings that appear or worsen', async () => {
    let now = new Date('2026-03-01T00:00:00Z');
    const changes: FindingsChanged[] = [];
    const svc = service({ now: () => now }, changes);
    await publish('drift.dlv.test', '@ MX 10 mx.clean.dlv.test.\n@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@drift.dlv.test"');
    expect(svc.monitor({ domain: 'Drift.dlv.test', intervalMinutes: 60 }).ok).toBe(true);
    expect(await svc.runDue()).toBe(1);
    expect(await svc.runDue()).toBe(0);
    await publish('drift.dlv.test', '@ MX 10 mx.clean.dlv.test.\n@ TXT "v=spf1 mx +all"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@drift.dlv.test"');
    now = new Date('2026-03-01T01:00:00Z');
    expect(await svc.runDue()).toBe(1);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.changes).toEqual([expect.objectContaining({ id: 'spf.all-pass', severity: 'error', previous: null })]);
    const history = svc.history('drift.dlv.test');
    expect(history.ok && history.value.map((r) => r.counts.error)).toEqual([1, 0]);
    expect(svc.unmonitor('drift.dlv.test').ok).toBe(true);
  });

  it('generates a record set that passes its own check once published', async () => {
    const issued = issueCert('dlv-gen', ['DNS:mta-sts.gen.dlv.test']);
    const tls = { cert: readFileSync(issued.cert, 'utf8'), key: readFileSync(issued.key, 'utf8') };
    let served = '';
    const web = await policyHost(tls, { 'mta-sts.gen.dlv.test': { status: 200, contentType: 'text/plain', get body() { return served; } } });
    const svc = service({ now: () => new Date() }, [], { mtaStsPort: web.port, ca: readFileSync(issued.ca, 'utf8') });
    try {
    const rsa = await svc.generateDkimKey('gen.dlv.test', 'r2026', 'rsa-2048');
    const ed = await svc.generateDkimKey('gen.dlv.test', 'e2026', 'ed25519');
    if (!rsa.ok || !ed.ok) throw new Error('key generation failed');
    expect(ed.value.record).toMatch(/^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$/);
    // the policy web host is the test's HTTPS listener on 127.0.0.1 (mx.smtp.dlv.test)
    const plan = { domain: 'gen.dlv.test', mailHost: 'mx.clean.dlv.test', policyHost: 'mx.smtp.dlv.test', nameServers: ['ns1.dlv.test', 'ns2.dlv.test'], sendingIps: ['203.0.113.10'], spfIncludes: ['spf.vendor.dlv.test'], dkim: [rsa.value, ed.value].map((k) => ({ selector: k.selector, publicKeyRecord: k.record })) };
    await publish('gen.dlv.test', '@ TXT "v=spf1 include:n3.vendor.dlv.test ~all"');
    const first = await svc.generateRecords(plan);
    if (!first.ok) throw new Error(first.error.message);
    const spf = first.value.records.find((r) => r.type === 'TXT' && r.name === 'gen.dlv.test')!;
    expect(spf.value).toBe('v=spf1 mx ip4:203.0.113.10 include:n3.vendor.dlv.test include:spf.vendor.dlv.test ~all');
    expect(spf.status).toBe('different');
    const dkim = first.value.records.find((r) => r.name === 'r2026._domainkey.gen.dlv.test')!;
    expect(dkim.zoneValue.split('" "').length).toBeGreaterThan(1);
    expect(dkim.zoneValue.match(/"([^"]*)"/g)!.every((s) => s.length - 2 <= 255)).toBe(true);
    served = first.value.mtaStsPolicy ?? '';
    await publish('gen.dlv.test', first.value.zoneFile.split('\n').filter((l) => !l.startsWith('$ORIGIN') && !l.startsWith(';')).join('\n'));
    const second = (await svc.generateRecords(plan)) as { ok: true; value: GeneratedRecords };
    expect(second.value.records.filter((r) => r.status !== 'match').map((r) => `${r.name} ${r.type}`)).toEqual([]);
    const checked = await svc.check({ domains: ['gen.dlv.test'], dkimSelectors: ['r2026', 'e2026'], sendingIps: ['203.0.113.10'] });
    if (!checked.ok) throw new Error(checked.error.message);
    const bad = checked.value[0]!.findings.filter((f) => f.severity === 'critical' || f.severity === 'error' || f.severity === 'warning');
    expect(bad).toEqual([]);
    } finally {
      await web.close();
    }
  });

  it('reports a published DKIM key that is not the key Mailroom generated for signing', async () => {
    const svc = service({ now: () => new Date() }, []);
    expect((await svc.generateDkimKey('dkim-key-mismatch.dlv.test', 'sel', 'rsa-2048')).ok).toBe(true);
    const checked = await svc.check({ domains: ['dkim-key-mismatch.dlv.test'], dkimSelectors: ['sel'] });
    if (!checked.ok) throw new Error(checked.error.message);
    expect(checked.value[0]!.findings.filter((f) => f.id === 'dkim.key-mismatch').map((f) => f.severity)).toEqual(['critical']);
  });

  it('serves dns.* through the router: private DKIM keys only in the keychain, never in SQLite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dlv-ipc-'));
    const vault = new MemoryVault();
    const services = composeServices({ dataDir, vault, logger: silentLogger, transport: 'loopback', dnsServers: [dnsServer()] });
    try {
      const key = await services.router.dispatch('dns.generateDkimKey', [{ domain: 'ipc.dlv.test', selector: 's1', algorithm: 'rsa-2048' }]);
      expect(key.ok).toBe(true);
      expect(await vault.get('dkim:ipc.dlv.test:s1')).toMatch(/BEGIN PRIVATE KEY/);
      const invalid = await services.router.dispatch('dns.check', [{ domains: [] }]);
      expect(invalid.ok ? null : invalid.error.code).toBe('input.invalid');
      const run = await services.router.dispatch('dns.check', [{ domains: ['mx-missing.dlv.test'] }]);
      expect(run.ok).toBe(true);
      const history = await services.router.dispatch('dns.history', ['mx-missing.dlv.test']);
      expect(history.ok && (history.value as unknown[]).length).toBe(1);
      const audit = services.journal.list({ limit: 10 });
      expect(JSON.stringify(audit)).not.toMatch(/PRIVATE KEY/);
    } finally {
      services.close();
    }
    for (const file of readdirSync(dataDir)) expect(readFileSync(join(dataDir, file)).includes('PRIVATE KEY')).toBe(false);
  });
});
