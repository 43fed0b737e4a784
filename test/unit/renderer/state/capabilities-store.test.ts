// @vitest-environment jsdom
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Capabilities } from '../../../../shared/domain/provisioning.ts';
import { err, ok } from '../../../../shared/errors/result.ts';
import type { WindowApi } from '../../../../shared/ipc/contract.ts';
import { createFakeWindowApi, sampleReport, type FakeWindowApi } from '../../../fakes/fake-window-api.ts';
import { allNative, connection, domain } from './fixtures.ts';

const pfa = connection('c1', 'postfixadmin', 'Self-hosted');
const cow = connection('c2', 'mailcow', 'Cow');

let fake: FakeWindowApi;
let capabilities: typeof import('../../../../renderer/state/capabilities-store.ts');
let connections: typeof import('../../../../renderer/state/connections-store.ts');
let inventory: typeof import('../../../../renderer/state/inventory-store.ts');
let tests: typeof import('../../../../renderer/features/connections/connection-tests-store.ts');
// What the services answer per connection id; a missing id fails like an unreachable platform.
let answers: Record<string, Capabilities>;

const capabilityCalls = () => fake.calls.filter((c) => c.channel === 'connections.capabilities').map((c) => c.args[0]);

beforeAll(async () => {
  fake = createFakeWindowApi([pfa, cow]);
  fake.answer('connections.capabilities', (id: string) => (answers[id] ? ok(answers[id]) : err('backend.unavailable', `${id} did not answer`)));
  fake.answer('domains.list', () => ok([domain(pfa, 'example.test')]));
  (window as { api?: WindowApi }).api = fake.api;
  capabilities = await import('../../../../renderer/state/capabilities-store.ts');
  connections = await import('../../../../renderer/state/connections-store.ts');
  inventory = await import('../../../../renderer/state/inventory-store.ts');
  tests = await import('../../../../renderer/features/connections/connection-tests-store.ts');
});

beforeEach(() => {
  fake.calls.length = 0;
  answers = {};
  capabilities.useCapabilities.setState({ byConnection: {} });
});

describe('capabilities state', () => {
  it('asks the services once per connection, even when two views ask at the same time', async () => {
    answers = { c1: { ...allNative('postfixadmin-sql'), dkim: { generate: { level: 'unsupported', manual: 'opendkim-genkey' }, install: { level: 'native' } } } };
    const store = capabilities.useCapabilities;
    await Promise.all([store.getState().ensure(['c1']), store.getState().ensure(['c1', 'c1'])]);
    await store.getState().ensure(['c1']);
    expect(capabilityCalls()).toEqual(['c1']);
    expect(store.getState().byConnection['c1']?.dkim.generate).toEqual({ level: 'unsupported', manual: 'opendkim-genkey' });
  });

  it('keeps no entry for a connection whose fetch failed, and asks again next time', async () => {
    const store = capabilities.useCapabilities;
    await store.getState().ensure(['c2']);
    expect(store.getState().byConnection).toEqual({});
    answers = { c2: allNative('mailcow') };
    await store.getState().ensure(['c2']);
    expect(capabilityCalls()).toEqual(['c2', 'c2']);
    expect(store.getState().byConnection['c2']?.kind).toBe('mailcow');
  });

  it('takes a connection test probe as the new answer, and forgets a removed connection', async () => {
    const probed = { ...allNative('mailcow'), quota: { set: { level: 'unsupported', manual: 'mailcow UI' } } } satisfies Capabilities;
    fake.nextTest = ok({ ...sampleReport, platform: probed });
    await tests.useConnectionTests.getState().test('c2');
    expect(capabilities.useCapabilities.getState().byConnection['c2']).toEqual(probed);
    expect(capabilityCalls()).toEqual([]);
    fake.nextTest = ok(sampleReport);

    // The fake forgets what it removes, so the removal is of a connection the other tests do not use.
    capabilities.useCapabilities.getState().put('gone', probed);
    await connections.useConnections.getState().remove('gone');
    expect(capabilities.useCapabilities.getState().byConnection).toEqual({ c2: probed });
  });
});

describe('inventory state', () => {
  it('reads the connection list into the one connections store and fetches the capabilities of every connection', async () => {
    answers = { c1: allNative('postfixadmin-sql'), c2: allNative('mailcow') };
    await inventory.useInventory.getState().load();
    expect(connections.useConnections.getState().items.map((c) => c.id)).toEqual(['c2', 'c1']);
    expect(inventory.useInventory.getState()).toMatchObject({ loaded: true, loadError: null, domains: [{ name: 'example.test' }] });
    expect('connections' in inventory.useInventory.getState()).toBe(false);
    expect(capabilityCalls().sort()).toEqual(['c1', 'c2']);

    await inventory.useInventory.getState().load();
    expect(capabilityCalls()).toHaveLength(2);
  });

  it('refreshes all provisioning connections from the connection list', async () => {
    const imap = connection('c3', 'imap', 'Dovecot');
    connections.useConnections.getState().replace([pfa, cow, imap]);
    fake.answer('domains.refresh', (id: string) => ok({ connectionId: id, domains: 1, mailboxes: 0, aliases: 0, groups: 0, durationMs: 1, refreshedAt: '2025-01-01T00:00:00Z' }));
    await inventory.useInventory.getState().refreshAll();
    expect(fake.calls.filter((c) => c.channel === 'domains.refresh').map((c) => c.args[0]).sort()).toEqual(['c1', 'c2']);
  });
});
