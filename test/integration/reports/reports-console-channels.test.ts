import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createMemoryLogger } from '../../../electron/platform/logger.ts';
import type { MailboxIngestResult } from '../../../shared/domain/reports-mailbox.ts';
import type { ReportsSummary } from '../../../shared/domain/reports.ts';
import type { ReverseName } from '../../../shared/domain/reports-insights.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { aggregateXml, gz, reportMessage } from '../../support/dmarc-reports.ts';
import { testServers } from '../../support/servers.ts';
import { freshUser } from '../migration/support.ts';

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; detail?: unknown } };

// The two channels the console's Reports page adds: cancelling a mailbox run, and reverse DNS of sending IPs.
describe('reports.cancelIngest and reports.reverseDns through the router, against Dovecot and Knot', () => {
  const servers = testServers();
  const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-reports-channels-'));
  let services: Services;
  const call = <T>(channel: string, ...args: unknown[]) => services.router.dispatch(channel, args) as Promise<Answer<T>>;

  beforeAll(() => {
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback', dnsServers: servers.dns ? [`${servers.dns.host}:${servers.dns.port}`] : [] });
  });
  afterAll(() => {
    services?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops a mailbox run after the batch in hand: what was stored is moved, and the next run stores the rest once', async () => {
    const account = freshUser('ruacancel');
    const imap = new ImapFlow({ host: servers.imap.host, port: servers.imap.imapsPort, secure: true, auth: { user: account.user, pass: account.password }, tls: { servername: 'localhost' }, logger: false });
    imap.on('error', () => undefined);
    await imap.connect();
    for (let i = 0; i < 120; i += 1) {
      await imap.append('INBOX', await reportMessage({ subject: `c${i}`, attachment: { filename: `c${i}.xml.gz`, content: gz(aggregateXml({ org: 'cancel.example', id: `c-${i}`, domain: 'cancel.test', records: [{ ip: '192.0.2.1', count: 2 }] })), contentType: 'application/gzip' } }));
    }
    const added = await services.connections.addImap({ name: 'cancel-box', host: servers.imap.host, port: servers.imap.imapsPort, tls: 'implicit', user: account.user, password: account.password });
    if (!added.ok) throw new Error(added.error.message);

    // Cancelled from the first progress event with work done, so the run stops after its first batch whatever the machine's speed.
    const cancels: Answer<{ cancelled: boolean }>[] = [];
    const off = services.events.on('reports.ingestProgress', (p) => {
      if (p.connection === 'cancel-box' && p.done > 0 && cancels.length === 0) void call<{ cancelled: boolean }>('reports.cancelIngest', 'run-1').then((r) => cancels.push(r));
    });
    const first = await call<MailboxIngestResult>('reports.ingestMailbox', { connection: 'cancel-box', runId: 'run-1' });
    off();
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.error.code).toBe('cancelled');
    await expect.poll(() => cancels.length).toBe(1);
    expect(cancels[0]).toEqual({ ok: true, value: { cancelled: true } });
    const stored = await call<ReportsSummary>('reports.summary', { domain: 'cancel.test' });
    if (!stored.ok) throw new Error(stored.error.message);
    const partial = stored.value.aggregate.reports;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(120);
    const lock = await imap.getMailboxLock('Processed reports', { readOnly: true });
    const moved = (imap.mailbox as { exists: number }).exists;
    lock.release();
    expect(moved).toBe(partial);

    expect(await call('reports.cancelIngest', 'run-1')).toEqual({ ok: true, value: { cancelled: false } });
    const rest = await call<MailboxIngestResult>('reports.ingestMailbox', { connection: 'cancel-box', runId: 'run-1' });
    if (!rest.ok) throw new Error(rest.error.message);
    expect([rest.value.messages, rest.value.stored.aggregate, rest.value.duplicates]).toEqual([120 - partial, 120 - partial, 0]);
    const total = await call<ReportsSummary>('reports.summary', { domain: 'cancel.test' });
    expect(total.ok && total.value.aggregate).toEqual({ reports: 120, messages: 240 });
    await imap.logout();
  });

  it('answers the PTR names Knot serves, "none" for an address without one, and refuses what is not an IP', async () => {
    if (!servers.dns) throw new Error('Knot is not running: servers.json has no dns entry');
    const names = await call<ReverseName[]>('reports.reverseDns', { ips: ['203.0.113.40', '203.0.113.99'] });
    expect(names).toEqual({
      ok: true,
      value: [
        { ip: '203.0.113.40', status: 'ok', names: ['mx.reports.dlv.test'] },
        { ip: '203.0.113.99', status: 'none', names: [] },
      ],
    });
    const bad = await call('reports.reverseDns', { ips: ['mx.example.test'] });
    expect(bad.ok ? null : bad.error.code).toBe('input.invalid');
  });
});
