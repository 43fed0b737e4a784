// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Capabilities } from '../../../../../shared/domain/provisioning.ts';
import { ok } from '../../../../../shared/errors/result.ts';
import type { WindowApi } from '../../../../../shared/ipc/contract.ts';
import { createFakeWindowApi, type FakeWindowApi } from '../../../../fakes/fake-window-api.ts';
import { allNative, connection, domain } from '../../state/fixtures.ts';

const pfa = connection('c1', 'postfixadmin', 'Self-hosted');

let fake: FakeWindowApi;
let page: typeof import('../../../../../renderer/features/domains/domains-page.tsx');
let capabilities: typeof import('../../../../../renderer/state/capabilities-store.ts');
let answer: Capabilities;

// The table draws its rows a frame after the page, from a deferred render: on a busy machine that can exceed findBy's 1 s by far.
const ROW_WAIT = { timeout: 10_000 };
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

beforeAll(async () => {
  fake = createFakeWindowApi([pfa]);
  fake.answer('domains.list', () => ok([domain(pfa, 'example.test')]));
  fake.answer('dns.latest', () => ok(null));
  fake.answer('connections.capabilities', () => ok(answer));
  (window as { api?: WindowApi }).api = fake.api;
  page = await import('../../../../../renderer/features/domains/domains-page.tsx');
  capabilities = await import('../../../../../renderer/state/capabilities-store.ts');
});
afterEach(() => {
  cleanup();
  capabilities.useCapabilities.setState({ byConnection: {} });
});

describe('DomainsPage greys actions by the capabilities the services report', () => {
  it('disables New domain when the only platform cannot create domains, and keeps Delete', async () => {
    answer = { ...allNative('postfixadmin-sql'), domain: { ...allNative('postfixadmin-sql').domain, create: { level: 'unsupported', manual: 'PostfixAdmin › New domain' } } };
    render(<page.DomainsPage storage={null} />);
    await screen.findByRole('row', { name: /example\.test/ }, ROW_WAIT);
    await waitFor(() => expect(button('New domain').disabled).toBe(true));
    expect(button('New domain').title).toBe('No connected platform lets Mailroom create domains.');
    expect(button('Delete example.test').disabled).toBe(false);
    expect(fake.calls.filter((c) => c.channel === 'connections.capabilities').map((c) => c.args)).toEqual([['c1']]);
  });

  it('disables Delete with the manual path when the services say the platform cannot delete domains', async () => {
    answer = { ...allNative('postfixadmin-sql'), domain: { ...allNative('postfixadmin-sql').domain, remove: { level: 'unsupported', manual: 'PostfixAdmin › Domain list › delete' } } };
    render(<page.DomainsPage storage={null} />);
    await screen.findByRole('row', { name: /example\.test/ }, ROW_WAIT);
    await waitFor(() => expect(button('Delete example.test').disabled).toBe(true));
    expect(button('Delete example.test').title).toBe('This platform cannot delete domains through Mailroom. Do it here instead: PostfixAdmin › Domain list › delete');
    expect(button('New domain').disabled).toBe(false);
  });

  it('shows the storage view the app hands it', async () => {
    answer = allNative('postfixadmin-sql');
    render(<page.DomainsPage storage={<p>storage from the app</p>} />);
    await screen.findByRole('row', { name: /example\.test/ }, ROW_WAIT);
    act(() => screen.getByRole('tab', { name: 'Storage' }).click());
    expect(screen.getByText('storage from the app')).toBeTruthy();
  });
});
