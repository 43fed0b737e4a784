// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { err, ok } from '../../../../../shared/errors/result.ts';
import type { ConnectionSummary } from '../../../../../shared/domain/connection.ts';
import type { WindowApi } from '../../../../../shared/ipc/contract.ts';
import { createFakeWindowApi, sampleReport, type FakeWindowApi } from '../../../../fakes/fake-window-api.ts';

const acme: ConnectionSummary = {
  id: 'c1',
  name: 'Acme',
  kind: 'imap',
  settings: { host: 'imap.acme.test', port: 993, tls: 'implicit', user: 'admin@acme.test' },
  hasSecret: true,
  createdAt: '2025-01-01T00:00:00Z',
  lastTest: null,
};

let fake: FakeWindowApi;
let page: typeof import('../../../../../renderer/features/connections/connections-page.tsx');
let store: typeof import('../../../../../renderer/state/connections-store.ts');

beforeAll(async () => {
  fake = createFakeWindowApi([acme]);
  // renderer/api/client.ts picks window.api when it is first imported, as under Electron's preload.
  (window as { api?: WindowApi }).api = fake.api;
  page = await import('../../../../../renderer/features/connections/connections-page.tsx');
  store = await import('../../../../../renderer/state/connections-store.ts');
});
afterEach(cleanup);

describe('ConnectionsPage over window.api', () => {
  it('lists connections, tests one and shows the capabilities or the error in plain words', async () => {
    render(<page.ConnectionsPage />);
    const row = await screen.findByRole('row', { name: /^Acme/ });
    expect(row.textContent).toContain('imap.acme.test:993');
    expect(row.textContent).toContain('Untested');

    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Test Acme' })));
    const result = await screen.findByRole('region', { name: 'Test result for Acme' });
    expect(result.textContent).toContain('Test passed');
    expect(within(result).getByRole('list', { name: 'Capabilities of Acme' }).textContent).toContain(sampleReport.capabilities[1]);

    fake.nextTest = err('imap.auth', 'imap.acme.test:993: the server rejected the user name or password.');
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Test Acme' })));
    await waitFor(() => expect(screen.getByRole('region', { name: 'Test result for Acme' }).textContent).toContain('The server rejected the user name or password.'));
    expect(screen.getByRole('region', { name: 'Test result for Acme' }).textContent).toContain('imap.auth');
    fake.nextTest = ok(sampleReport);
  });

  it('adds through the form without keeping the password, and follows connections.changed', async () => {
    render(<page.ConnectionsPage />);
    await screen.findByRole('row', { name: /^Acme/ });
    for (const [label, value] of [['Name', 'Beta'], ['Host', 'imap.beta.test'], ['User name', 'b@beta.test'], ['Password', 'beta-pw-123']]) {
      fireEvent.change(screen.getByLabelText(label!, { exact: true }), { target: { value } });
    }
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Add connection' })));
    await screen.findByRole('row', { name: /^Beta/ });
    expect(JSON.stringify(store.useConnections.getState())).not.toContain('beta-pw-123');

    act(() => fake.emit('connections.changed', [{ ...acme, name: 'Renamed elsewhere' }]));
    await screen.findByRole('row', { name: /^Renamed elsewhere/ });
    expect(screen.queryByRole('row', { name: /^Beta/ })).toBeNull();
  });

  it('removes a connection only after confirmation', async () => {
    act(() => store.useConnections.getState().replace([acme]));
    render(<page.ConnectionsPage />);
    await screen.findByRole('row', { name: /^Acme/ });
    fireEvent.click(screen.getByRole('button', { name: 'Remove Acme' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove “Acme”?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.calls.some((c) => c.channel === 'connections.remove')).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Remove Acme' }));
    // The dialog asks what uses the connection first; Remove is enabled once it knows.
    await waitFor(() => expect((screen.getByRole('button', { name: 'Remove connection' }) as HTMLButtonElement).disabled).toBe(false));
    expect(fake.calls.some((c) => c.channel === 'connections.dependents')).toBe(true);
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Remove connection' })));
    await waitFor(() => expect(screen.queryByRole('row', { name: /^Acme/ })).toBeNull());
    expect(fake.calls.filter((c) => c.channel === 'connections.remove')).toEqual([{ channel: 'connections.remove', args: ['c1'] }]);
  });
});
