import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailcowAdapter } from '../../../electron/backends/mailcow/mailcow-adapter.ts';
import { MailcowFake } from '../../fakes/mailcow/mailcow-fake.ts';
import { collect, unwrap } from './collect.ts';

const KEY = 'mc-test-key-0123456789';
const GiB = 1024 ** 3;

describe('mailcow adapter against the mailcow API fake', () => {
  let fake: MailcowFake;
  let base: string;
  const adapter = (key = KEY): MailcowAdapter => new MailcowAdapter({ baseUrl: base }, key, { retry: { baseDelayMs: 5 } });

  beforeEach(async () => {
    fake = new MailcowFake(KEY);
    base = await fake.server.start();
  });
  afterEach(() => fake.server.close());

  it('probes the version and reports capabilities', async () => {
    const caps = unwrap(await adapter().probe());
    expect(caps.kind).toBe('mailcow');
    expect(caps.version).toBe('2025-03');
    expect(caps.group.model).toBe('alias-fanout');
    // Every mailbox owns a hidden self-alias, so the alias API cannot forward it.
    expect(caps.forward.set).toMatchObject({ level: 'unsupported', manual: expect.stringContaining('SOGo') });
    expect(caps.dkim).toMatchObject({ generate: { level: 'native' }, install: { level: 'unsupported' } });
  });

  it('creates, lists (no paging: one answer), updates and deletes mailboxes with quotas in bytes', async () => {
    const mc = adapter();
    unwrap(await mc.createDomain('example.com', { description: 'Example' }));
    for (let i = 0; i < 25; i += 1) fake.seedMailbox(`user${i}@example.com`, 512, 1000 * i);
    const created = unwrap(await mc.createMailbox({ address: 'alice@example.com', displayName: 'Alice', password: 'S3cret-pass!', quotaBytes: GiB }));
    expect(created.state).toBe('done');
    // mailcow takes MiB on write and answers bytes on read.
    expect(fake.mailboxes.get('alice@example.com')?.quota).toBe(GiB);
    expect(created.value.quotaBytes).toBe(GiB);

    const all = await collect(mc.listMailboxes('example.com'));
    expect(all).toHaveLength(26);
    expect(all.find((m) => m.address === 'user3@example.com')?.usedBytes).toBe(3000);

    const updated = unwrap(await mc.updateMailbox('alice@example.com', { displayName: 'Alice A.', quotaBytes: 2 * GiB, active: false }));
    expect(updated).toMatchObject({ displayName: 'Alice A.', quotaBytes: 2 * GiB, active: false });
    unwrap(await mc.setPassword('alice@example.com', 'N3w-pass!', { forceChange: true }));
    expect(fake.mailboxes.get('alice@example.com')?.force_pw_update).toBe(1);

    unwrap(await mc.deleteMailbox('alice@example.com'));
    expect(fake.mailboxes.has('alice@example.com')).toBe(false);
    const domains = await collect(mc.listDomains());
    expect(domains).toEqual([expect.objectContaining({ name: 'example.com', mailboxCount: 25, usedBytes: 300_000 })]);
  });

  it('manages aliases, the catch-all and group members; refuses forwarding, which the alias API cannot do', async () => {
    const mc = adapter();
    unwrap(await mc.createDomain('example.com'));
    unwrap(await mc.upsertAlias({ address: 'info@example.com', targets: ['a@example.com'] }));
    unwrap(await mc.upsertAlias({ address: 'info@example.com', targets: ['a@example.com', 'b@example.com'] }));
    unwrap(await mc.upsertAlias({ address: '@example.com', targets: ['a@example.com'] }));
    expect(await collect(mc.listAliases('example.com'))).toEqual([
      { address: 'info@example.com', domain: 'example.com', targets: ['a@example.com', 'b@example.com'], active: true },
      { address: '@example.com', domain: 'example.com', targets: ['a@example.com'], active: true },
    ]);
    unwrap(await mc.deleteAlias('@example.com'));

    unwrap(await mc.upsertGroup({ address: 'team@example.com', members: ['a@example.com', 'b@example.com', 'c@example.com'] }));
    unwrap(await mc.upsertGroup({ address: 'team@example.com', members: ['a@example.com', 'c@example.com'] }));
    const groups = await collect(mc.listGroups('example.com'));
    expect(groups.find((g) => g.address === 'team@example.com')?.members).toEqual(['a@example.com', 'c@example.com']);
    unwrap(await mc.deleteGroup('team@example.com'));

    // mailcow gave bob a self-alias (bob → bob) that reads never show: an alias on his address is refused.
    fake.seedMailbox('bob@example.com');
    const onMailbox = await mc.upsertAlias({ address: 'bob@example.com', targets: ['bob@elsewhere.org'] });
    expect(!onMailbox.ok && onMailbox.error).toMatchObject({ code: 'backend.conflict', detail: { vendorCode: 'is_alias_or_mailbox' } });
    const itself = await mc.upsertAlias({ address: 'x@example.com', targets: ['x@example.com', 'y@example.org'] });
    expect(!itself.ok && itself.error.code).toBe('backend.validation');
    const fwd = await mc.setForwarding('bob@example.com', ['bob@elsewhere.org'], true);
    expect(!fwd.ok && fwd.error).toMatchObject({ code: 'backend.unsupported', detail: { level: 'unsupported' } });
    expect(unwrap(await mc.getForwarding('bob@example.com')).state).toBe('off');

    unwrap(await mc.deleteAlias('info@example.com'));
    expect(await collect(mc.listAliases(null))).toEqual([]);
    expect(fake.aliases.size).toBe(1);
  });

  it('creates and deletes domains and alias domains (add/alias-domain), listed under their target', async () => {
    const mc = adapter();
    unwrap(await mc.createDomain('example.com', { description: 'Example' }));
    unwrap(await mc.createDomain('tmp.example'));
    const target = unwrap(await mc.createAliasDomain('example.net', 'example.com'));
    expect(target).toMatchObject({ name: 'example.com', aliasDomains: ['example.net'] });
    expect((await collect(mc.listDomains())).map((d) => [d.name, d.aliasDomains])).toEqual([['example.com', ['example.net']], ['tmp.example', []]]);
    const again = await mc.createAliasDomain('example.net', 'example.com');
    expect(!again.ok && again.error.detail).toMatchObject({ vendorCode: 'alias_domain_invalid' });
    unwrap(await mc.deleteDomain('tmp.example'));
    expect((await collect(mc.listDomains())).map((d) => d.name)).toEqual(['example.com']);
  });

  it('has mailcow generate the DKIM key (add/dkim) and reads which key signs (get/dkim)', async () => {
    const mc = adapter();
    unwrap(await mc.createDomain('example.com'));
    expect(unwrap(await mc.listDkimKeys('example.com'))).toEqual([]);
    const key = unwrap(await mc.generateDkimKey('example.com', 's2026'));
    expect(key).toMatchObject({ domain: 'example.com', selector: 's2026', algorithm: 'rsa', active: true });
    expect(key.publicKey).toBe(fake.dkim.get('example.com')?.pubkey);
    expect(unwrap(await mc.listDkimKeys('example.com'))).toEqual([key]);
    // One key per domain: a second is refused until the first is deleted in mailcow.
    const second = await mc.generateDkimKey('example.com', 's2027');
    expect(!second.ok && second.error.detail).toMatchObject({ vendorCode: 'dkim_domain_or_sel_invalid' });
  });

  it('reads last logins from sasl_log fields and sets spam thresholds through edit/spam-score, read back per mailbox', async () => {
    const mc = adapter();
    unwrap(await mc.createDomain('example.com'));
    fake.seedMailbox('ann@example.com');
    fake.seedMailbox('bo@example.com');
    // The latest service wins (IMAP at 1.7e9 s, SMTP later); 0 everywhere means never.
    fake.mailboxes.get('ann@example.com')!.lastLogin = { imap: 1_700_000_000, smtp: 1_700_000_600, pop3: 0, sso: 0 };
    const boxes = await collect(mc.listMailboxes('example.com'));
    expect(boxes.map((b) => [b.address, b.lastLoginAt])).toEqual([['ann@example.com', '2023-11-14T22:23:20.000Z'], ['bo@example.com', null]]);

    fake.spamLevels.set('bo@example.com', { low: 3, high: 30 });
    const before = await collect(mc.listSpamThresholds('example.com'));
    // ann has no filterconf rows: the server default (rspamd's actions) applies.
    expect(before).toEqual([{ address: 'ann@example.com', low: 8, high: 15 }, { address: 'bo@example.com', low: 3, high: 30 }]);
    expect(unwrap(await mc.setSpamThreshold('bo@example.com', { low: 6, high: 12 }))).toEqual({ low: 6, high: 12 });
    expect(fake.spamLevels.get('bo@example.com')).toEqual({ low: 6, high: 12 });
    const refused = await mc.setSpamThreshold('nobody@example.com', { low: 6, high: 12 });
    expect(refused.ok ? null : refused.error.code).toBe('backend.forbidden');
    const inverted = await mc.setSpamThreshold('bo@example.com', { low: 12, high: 6 });
    expect(inverted.ok ? null : inverted.error.code).toBe('input.invalid');
    expect(fake.spamLevels.get('bo@example.com')).toEqual({ low: 6, high: 12 });
  });

  it('turns errors inside HTTP 200 into validation and conflict errors', async () => {
    const mc = adapter();
    unwrap(await mc.createDomain('example.com'));
    const tooBig = await mc.createMailbox({ address: 'big@example.com', password: 'x-Pass-1', quotaBytes: 50 * GiB });
    expect(tooBig.ok).toBe(false);
    if (!tooBig.ok) {
      expect(tooBig.error.code).toBe('backend.validation');
      expect(tooBig.error.detail).toMatchObject({ vendorCode: 'mailbox_quota_exceeded' });
    }
    const badTarget = await mc.upsertAlias({ address: 'x@example.com', targets: ['not an address'] });
    expect(!badTarget.ok && badTarget.error.code).toBe('backend.validation');
    const dup = await mc.createDomain('example.com');
    expect(!dup.ok && dup.error.code).toBe('backend.conflict');
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    const mc = adapter();
    fake.server.throttle({ times: 1, retryAfter: '1' });
    const started = Date.now();
    const caps = await mc.probe();
    const elapsed = Date.now() - started;
    expect(caps.ok).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(fake.server.seen.map((r) => r.status)).toEqual([429, 200]);
  });

  it('never retries a rejected API key (mailcow bans the IP through fail2ban)', async () => {
    const result = await adapter('wrong-key').probe();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('backend.auth');
      expect(result.error.retryable).toBe(false);
      expect(result.error.message).not.toContain('wrong-key');
    }
    expect(fake.server.count()).toBe(1);
  });
});
