import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { AlertCandidate, AlertDelivery, AlertDestination } from '../../../shared/domain/alerts.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { testServers } from '../../support/servers.ts';
import { fetchByMessageId } from '../../support/imap-message.ts';

type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
type Received = { path: string; contentType: string; body: Record<string, unknown> };

const candidate: AlertCandidate = { rule: 'dmarc.missing', target: 'alerts.example.test', expected: 'Publish a DMARC record', current: 'No DMARC record at _dmarc.alerts.example.test', customer: 'Acme' };

// Every destination kind against real parts: a local HTTP receiver for the webhooks, the Postfix relay and Dovecot for mail.
describe('alert destinations: webhook, Slack, Teams, mail through the relay, OS notification headless', () => {
  const servers = testServers();
  const user = servers.users.find((u) => u.user === 'user1@example.test')!;
  const vault = new MemoryVault();
  const received: Received[] = [];
  let receiver: Server;
  let base = '';
  let dataDir: string;
  let services: Services;
  let hour = 0;
  const call = <T>(channel: string, ...args: unknown[]) => services.router.dispatch(channel, args) as Promise<Reply<T>>;
  const value = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const r = await call<T>(channel, ...args);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const evaluate = (candidates: AlertCandidate[]) => services.alerts.observe({ source: 'standard:email-baseline', at: new Date(Date.UTC(2026, 5, 1, hour++)), candidates });

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: JSON.parse(text) as Record<string, unknown> });
        // Slack answers "ok"; Teams workflows answer 202 Accepted; /broken stands for a revoked hook.
        if (req.url?.startsWith('/broken')) res.writeHead(404).end('no_service');
        else if (req.url?.startsWith('/teams')) res.writeHead(202).end();
        else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'mr-alerts-'));
    services = composeServices({ dataDir, vault, logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
  });
  afterAll(async () => {
    services.close();
    await new Promise((done) => receiver.close(done));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses bad destinations with one clear line and stores nothing', async () => {
    const bad = [
      [{ name: 'plain', kind: 'slack', url: 'http://hooks.slack.example/services/T/B/x' }, 'https'],
      [{ name: 'no-url', kind: 'webhook' }, 'needs its webhook URL'],
      [{ name: 'mail-url', kind: 'email', url: 'https://x.example/' }, 'recipient'],
      [{ name: 'no-kind', kind: 'pager' }, 'kind'],
    ] as const;
    for (const [input, words] of bad) {
      const r = await call('alerts.addDestination', input);
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'input.invalid', message: expect.stringContaining(words) } });
    }
    expect(await value('alerts.destinations')).toEqual([]);
  });

  it('keeps Slack and Teams URLs in the keychain only, showing their origin', async () => {
    const slack = await value<AlertDestination>('alerts.addDestination', { name: 'ops-slack', kind: 'slack', url: `${base}/slack/T000/B000/Slack-Token-123` });
    const teams = await value<AlertDestination>('alerts.addDestination', { name: 'ops-teams', kind: 'teams', url: `${base}/teams/workflows/Teams-Sig-456` });
    await value('alerts.addDestination', { name: 'siem', kind: 'webhook', url: `${base}/hook/Generic-Token-789` });
    await value('alerts.addDestination', { name: 'desktop', kind: 'os' });
    expect(slack).toMatchObject({ kind: 'slack', urlOrigin: base, to: null, snoozedUntil: null });
    expect(await vault.get(`alerts:webhook:${slack.id}`)).toBe(`${base}/slack/T000/B000/Slack-Token-123`);
    expect(await vault.get(`alerts:webhook:${teams.id}`)).toBe(`${base}/teams/workflows/Teams-Sig-456`);
    expect(await call('alerts.addDestination', { name: 'ops-slack', kind: 'os' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it.skipIf(servers.smtp === null)('raises on the second evaluation, delivers every format, and the mail arrives through Postfix', async () => {
    await value('relay.set', { host: servers.smtp!.host, port: servers.smtp!.port, tls: 'none', from: 'alerts@example.test' });
    await value('alerts.addDestination', { name: 'oncall-mail', kind: 'email', to: user.user });
    received.length = 0;
    expect(await evaluate([candidate])).toEqual([]);
    expect(received).toEqual([]);
    expect(await evaluate([candidate])).toEqual([{ rule: 'dmarc.missing', target: 'alerts.example.test', state: 'raised' }]);
    expect(received.map((r) => r.path.split('/')[1]).sort()).toEqual(['hook', 'slack', 'teams']);
    for (const r of received) expect(r.contentType).toBe('application/json');

    const generic = received.find((r) => r.path.startsWith('/hook'))!.body;
    expect(generic).toMatchObject({ app: 'Mailroom', event: 'alert.raised', alert: { rule: 'dmarc.missing', target: 'alerts.example.test', customer: 'Acme', state: 'raised', source: 'standard:email-baseline' } });

    // Slack incoming webhooks: `text` is the notification fallback, `blocks` Block Kit (header, section fields, context).
    const slack = received.find((r) => r.path.startsWith('/slack'))!.body as { text: string; blocks: { type: string; text?: { type: string; text: string }; fields?: { type: string; text: string }[] }[] };
    expect(slack.text).toBe('Alert raised: dmarc.missing on alerts.example.test');
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(slack.blocks[0]!.text).toEqual({ type: 'plain_text', text: 'Alert raised: dmarc.missing on alerts.example.test', emoji: false });
    expect(slack.blocks[1]!.fields!.every((f) => f.type === 'mrkdwn' && f.text.length <= 2000)).toBe(true);
    expect(slack.blocks[1]!.fields!.map((f) => f.text)).toContain('*Customer*\nAcme');

    // Teams workflows: a message whose attachment is an Adaptive Card.
    const teams = received.find((r) => r.path.startsWith('/teams'))!.body as { type: string; attachments: { contentType: string; content: { type: string; version: string; body: { type: string; facts?: { title: string; value: string }[] }[] } }[] };
    expect(teams.type).toBe('message');
    expect(teams.attachments).toHaveLength(1);
    expect(teams.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0]!.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(teams.attachments[0]!.content.body.find((b) => b.type === 'FactSet')!.facts).toEqual(expect.arrayContaining([{ title: 'Rule', value: 'dmarc.missing' }, { title: 'Current', value: candidate.current }]));

    const entry = services.journal.list({ limit: 20 }).entries.find((e) => e.action === 'alerts.raised')!;
    expect(entry).toMatchObject({ object: 'dmarc.missing alerts.example.test', result: 'ok' });
    const deliveries = (entry.after as { deliveries: AlertDelivery[] }).deliveries;
    expect(Object.fromEntries(deliveries.map((d) => [d.destination, d.outcome]))).toEqual({ 'ops-slack': 'sent', 'ops-teams': 'sent', siem: 'sent', desktop: 'logged', 'oncall-mail': 'sent' });
    const mailed = deliveries.find((d) => d.kind === 'email')!;
    const raw = await fetchByMessageId(servers, user, mailed.messageId!);
    expect(raw, 'the alert mail never reached the INBOX').not.toBeNull();
    const mail = await simpleParser(raw!);
    expect(mail.subject).toBe('[Mailroom] Alert raised: dmarc.missing on alerts.example.test');
    expect(mail.text).toContain('Customer:    Acme');
    expect(raw).toMatch(/Received: from .*\(Postfix\)/s);
  });

  it('holds a raised alert quiet, then resolves it (notified) when the deviation goes; a snoozed destination is skipped', async () => {
    received.length = 0;
    expect(await evaluate([candidate])).toEqual([]);
    expect(received).toEqual([]);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect(await value<AlertDestination>('alerts.snooze', 'ops-slack', until)).toMatchObject({ snoozedUntil: until });
    expect(await evaluate([])).toEqual([{ rule: 'dmarc.missing', target: 'alerts.example.test', state: 'resolved' }]);
    expect(received.map((r) => r.path.split('/')[1]).sort()).toEqual(['hook', 'teams']);
    expect(received.find((r) => r.path.startsWith('/hook'))!.body).toMatchObject({ event: 'alert.resolved', alert: { state: 'resolved' } });
    const entry = services.journal.list({ limit: 20 }).entries.find((e) => e.action === 'alerts.resolved')!;
    expect((entry.after as { deliveries: AlertDelivery[] }).deliveries.find((d) => d.destination === 'ops-slack')).toMatchObject({ outcome: 'skipped' });
    expect(await value('alerts.list', { customer: 'Acme' })).toEqual([expect.objectContaining({ rule: 'dmarc.missing', state: 'resolved' })]);
    expect(await value('alerts.list', { customer: 'Other' })).toEqual([]);
    await value('alerts.snooze', 'ops-slack', null);
  });

  it('test button: delivers a test alert to one destination and reports a refusal honestly', async () => {
    received.length = 0;
    expect(await value<AlertDelivery>('alerts.test', 'ops-teams')).toMatchObject({ outcome: 'sent', detail: expect.stringContaining('HTTP 202') });
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toMatchObject({ type: 'message' });
    const broken = await value<AlertDestination>('alerts.addDestination', { name: 'revoked', kind: 'slack', url: `${base}/broken/T1/B1/Revoked-Token-000` });
    const refused = await value<AlertDelivery>('alerts.test', broken.name);
    expect(refused).toMatchObject({ outcome: 'failed', detail: `${base} answered HTTP 404: no_service` });
    expect(refused.detail).not.toContain('Revoked-Token');
    expect(await value('alerts.removeDestination', 'revoked')).toEqual({ id: broken.id, name: 'revoked' });
    expect(await vault.get(`alerts:webhook:${broken.id}`)).toBeNull();
  });

  it('no webhook token in the journal, the cache or the log', async () => {
    services.close();
    const tokens = ['Slack-Token-123', 'Teams-Sig-456', 'Generic-Token-789', 'Revoked-Token-000'];
    for (const file of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, file)).toString('latin1');
      for (const t of tokens) expect(bytes.includes(t), `${t} in ${file}`).toBe(false);
    }
    services = composeServices({ dataDir, vault, logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
    const actions = services.journal.list({ limit: 50 }).entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['alerts.addDestination', 'alerts.snooze', 'alerts.test', 'alerts.removeDestination', 'alerts.resolved']));
  });
});
