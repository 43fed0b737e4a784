import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailcowAdapter } from '../../../electron/backends/mailcow/mailcow-adapter.ts';
import { StalwartAdapter } from '../../../electron/backends/stalwart/stalwart-adapter.ts';
import { MailcowFake } from '../../fakes/mailcow/mailcow-fake.ts';
import { checkRow, READ_FIELDS } from '../../fakes/mailcow/mailcow-shapes.ts';
import { StalwartFake } from '../../fakes/stalwart/stalwart-fake.ts';
import { REGISTRY_TYPES } from '../../fakes/stalwart/stalwart-registry.ts';
import { checkObject, SESSION_FACTS } from '../../fakes/stalwart/stalwart-shapes.ts';
import { unwrap } from './collect.ts';

// The fakes answer in the vendors' shapes (test/fakes/*/…-shapes.ts) after a full adapter workout,
// so the adapters' tests against them are tests against those shapes.
describe('the mailcow fake answers as openapi.yaml documents', () => {
  const KEY = 'mc-shape-key-0123456789';
  let fake: MailcowFake;
  let base: string;
  const get = async (path: string): Promise<unknown> => (await fetch(`${base}/api/v1/${path}`, { headers: { 'x-api-key': KEY } })).json();
  beforeEach(async () => {
    fake = new MailcowFake(KEY);
    base = await fake.server.start();
  });
  afterEach(() => fake.server.close());

  it('answers {} to empty reads and documented rows after a workout', async () => {
    for (const path of ['get/domain/all', 'get/mailbox/all', 'get/alias/all', 'get/alias-domain/all', 'get/dkim/example.com']) expect(await get(path), path).toEqual({});
    const mc = new MailcowAdapter({ baseUrl: base }, KEY);
    unwrap(await mc.createDomain('example.com'));
    unwrap(await mc.createMailbox({ address: 'ann@example.com', password: 'Ann-pass-1', quotaBytes: 1024 ** 3, forceChangeAtFirstLogin: true }));
    unwrap(await mc.upsertAlias({ address: 'sales@example.com', targets: ['ann@example.com'] }));
    unwrap(await mc.createAliasDomain('example.net', 'example.com'));
    unwrap(await mc.generateDkimKey('example.com', 'dkim'));
    unwrap(await mc.setSpamThreshold('ann@example.com', { low: 6, high: 12 }));
    const mailboxRows = (await get('get/mailbox/all')) as Record<string, unknown>[];
    const rows: [string, unknown][] = [
      ['get/domain', await get('get/domain/all')],
      ['get/mailbox', await get('get/mailbox/all')],
      ['get/alias', await get('get/alias/all')],
      ['get/alias-domain', await get('get/alias-domain/all')],
      ['get/dkim', [await get('get/dkim/example.com')]],
      ['get/status/version', [await get('get/status/version')]],
      ['get/mailbox logins', mailboxRows],
      ['get/spam-score', [await get('get/spam-score/ann@example.com')]],
    ];
    for (const [route, list] of rows) {
      expect(Array.isArray(list) && list.length, route).toBeTruthy();
      for (const row of list as Record<string, unknown>[]) {
        expect(checkRow(route, row), route).toBeNull();
        if (route === 'get/mailbox') expect(checkRow('get/mailbox attributes', row['attributes'] as Record<string, unknown>)).toBeNull();
      }
    }
    expect(Object.keys(READ_FIELDS)).toHaveLength(rows.length + 1);
    expect(await get('get/spam-score/nobody@example.com')).toEqual({});
    // The self-alias mailcow made with the mailbox is stored, never read.
    expect(fake.aliases.size).toBe(2);
    expect((await get('get/alias/all')) as unknown[]).toHaveLength(1);
  });
});

describe('the Stalwart fake answers as Stalwart 0.16 defines', () => {
  let fake: StalwartFake;
  let base: string;
  beforeEach(async () => {
    fake = new StalwartFake('admin', 'pw');
    base = await fake.server.start();
  });
  afterEach(() => fake.server.close());

  it('a session with urn:stalwart:jmap per account, and objects of the documented shapes after a workout', async () => {
    const auth = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
    const session = (await (await fetch(`${base}/.well-known/jmap`, { headers: auth })).json()) as Record<string, Record<string, unknown>>;
    expect('urn:stalwart:jmap' in session['capabilities']!).toBe(SESSION_FACTS.stalwartCapabilityInSession);
    expect(session['primaryAccounts']).toHaveProperty(['urn:stalwart:jmap']);
    expect(new URL(String(session['apiUrl'])).pathname).toBe(SESSION_FACTS.apiPath);

    const st = new StalwartAdapter({ baseUrl: base, username: 'admin' }, 'pw');
    unwrap(await st.createDomain('example.net'));
    unwrap(await st.createAliasDomain('example.org', 'example.net'));
    unwrap(await st.createMailbox({ address: 'ann@example.net', password: 'Ann-pass-1', quotaBytes: 5_000_000 }));
    unwrap(await st.updateMailbox('ann@example.net', { active: false }));
    unwrap(await st.upsertAlias({ address: 'sales@example.net', targets: ['ann@example.net'] }));
    unwrap(await st.upsertGroup({ address: 'team@example.net', name: 'Team', members: ['ann@example.net'] }));
    unwrap(await st.installDkimKey({ domain: 'example.net', selector: 's1', privateKeyPem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }));
    for (const type of REGISTRY_TYPES) {
      const stored = [...fake.store.get(type)!.values()];
      expect(stored.length, type).toBeGreaterThan(0);
      for (const o of stored) expect(checkObject(type, o, false), type).toBeNull();
    }
  });
});
