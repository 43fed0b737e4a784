import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckProgress, DomainReport, FindingsChanged } from '../../../shared/domain/dns.ts';
import { openDatabase } from '../../../electron/db/database.ts';
import { DnsRunsRepo } from '../../../electron/db/dns-runs-repo.ts';
import { DnsService } from '../../../electron/dns/dns-service.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';

const report = (domain: string, ids: [string, 'critical' | 'error' | 'warning' | 'info'][]): DomainReport => ({
  domain,
  score: 100 - ids.length * 15,
  findings: ids.map(([id, severity]) => ({ id, severity, message: `${id} on ${domain}`, records: [], fix: '' })),
});

describe('deliverability monitoring: cancel, changes since the last look', () => {
  // A DNS "server" that reads queries and never answers: every lookup waits for its timeout.
  let blackhole: Socket;
  let port = 0;
  beforeAll(async () => {
    blackhole = createSocket('udp4');
    await new Promise<void>((done) => blackhole.bind(0, '127.0.0.1', done));
    port = blackhole.address().port;
  });
  afterAll(() => blackhole.close());

  it('cancels a running check by run id at once, answering cancelled with what was done', async () => {
    const progress: CheckProgress[] = [];
    const svc = new DnsService({
      repo: new DnsRunsRepo(openDatabase(':memory:')),
      vault: new MemoryVault(),
      clock: { now: () => new Date() },
      settings: { servers: [`127.0.0.1:${port}`], dnsTimeoutMs: 5000, options: { smtp: { enabled: false, port: 25, timeoutMs: 1000 } } },
      onChanges: () => undefined,
      onProgress: (p) => progress.push(p),
    });
    const started = Date.now();
    const running = svc.check({ domains: Array.from({ length: 40 }, (_, i) => `d${i}.slow.test`), runId: 'run-1' });
    await new Promise((done) => setTimeout(done, 150));
    expect(svc.cancel('run-1')).toEqual({ ok: true, value: { cancelled: true } });
    const result = await running;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.ok ? null : result.error.code).toBe('cancelled');
    expect(result.ok ? null : result.error.detail).toEqual({ checked: 0, total: 40 });
    expect(progress).toEqual([]);
    expect(svc.cancel('run-1')).toEqual({ ok: true, value: { cancelled: false } });
    expect(svc.domains()).toEqual({ ok: true, value: [] });
  });

  it('lists findings that appeared or worsened after the last-seen marker, newest first', () => {
    let now = new Date('2026-03-01T00:00:00Z');
    const repo = new DnsRunsRepo(openDatabase(':memory:'));
    const prefs = new Map<string, unknown>();
    const changes: FindingsChanged[] = [];
    const svc = new DnsService({
      repo,
      vault: new MemoryVault(),
      clock: { now: () => now },
      settings: { servers: [] },
      onChanges: (c) => changes.push(c),
      prefs: { get: <T>(k: string) => (prefs.get(k) as T | undefined) ?? null, put: (k, v) => void prefs.set(k, v) },
    });
    repo.insert(report('a.test', [['spf.all-pass', 'warning']]), '2026-03-01T00:00:00.000Z', 'hosted');
    repo.insert(report('b.test', []), '2026-03-01T00:00:00.000Z', 'hosted');
    repo.insert(report('a.test', [['spf.all-pass', 'critical'], ['dmarc.missing', 'error']]), '2026-03-01T01:00:00.000Z', 'hosted');
    now = new Date('2026-03-01T02:00:00Z');
    expect(svc.markSeen()).toEqual({ ok: true, value: { at: '2026-03-01T02:00:00.000Z' } });
    repo.insert(report('b.test', [['mx.missing', 'error']]), '2026-03-01T03:00:00.000Z', 'hosted');
    repo.insert(report('a.test', [['spf.all-pass', 'critical']]), '2026-03-01T03:00:00.000Z', 'hosted');

    const sinceMarker = svc.changesSince();
    expect(sinceMarker.ok && sinceMarker.value.since).toBe('2026-03-01T02:00:00.000Z');
    // a.test improved (dmarc.missing gone) and b.test broke: only b.test is listed.
    expect(sinceMarker.ok && sinceMarker.value.changes.map((c) => [c.domain, c.id, c.severity, c.previous])).toEqual([['b.test', 'mx.missing', 'error', null]]);

    const all = svc.changesSince('2026-02-28T00:00:00.000Z');
    expect(all.ok && all.value.changes.map((c) => `${c.domain} ${c.id} ${c.previous ?? 'new'}→${c.severity}`)).toEqual([
      'b.test mx.missing new→error',
      'a.test dmarc.missing new→error',
      'a.test spf.all-pass warning→critical',
    ]);
    expect(svc.domains().ok && svc.domains()).toMatchObject({ value: [{ domain: 'a.test', score: 85 }, { domain: 'b.test', score: 85 }] });
  });
});
