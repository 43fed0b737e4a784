// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CachedMailbox } from '../../../../../shared/domain/inventory.ts';
import type { Capabilities } from '../../../../../shared/domain/provisioning.ts';
import { ok } from '../../../../../shared/errors/result.ts';
import type { WindowApi } from '../../../../../shared/ipc/contract.ts';
import { createFakeWindowApi, type FakeWindowApi } from '../../../../fakes/fake-window-api.ts';
import { allNative } from '../../state/fixtures.ts';

const alice: CachedMailbox = {
  connectionId: 'c1', connectionName: 'Self-hosted', connectionKind: 'postfixadmin', refreshedAt: null, stale: false,
  address: 'alice@example.test', domain: 'example.test', displayName: 'Alice', active: true, quotaBytes: null, usedBytes: null, messageCount: null, forwardTargets: [], keepCopy: false,
};

let fake: FakeWindowApi;
let detail: typeof import('../../../../../renderer/features/mailboxes/mailbox-detail.tsx');
let capabilities: typeof import('../../../../../renderer/state/capabilities-store.ts');

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

beforeAll(async () => {
  fake = createFakeWindowApi();
  (window as { api?: WindowApi }).api = fake.api;
  detail = await import('../../../../../renderer/features/mailboxes/mailbox-detail.tsx');
  capabilities = await import('../../../../../renderer/state/capabilities-store.ts');
});
afterEach(cleanup);

describe('MailboxDetail', () => {
  it('leaves actions to the services until the flags arrive, then greys out what the platform cannot do', async () => {
    const caps: Capabilities = {
      ...allNative('postfixadmin-sql'),
      mailbox: { ...allNative('postfixadmin-sql').mailbox, setPassword: { level: 'needs-sidecar', manual: 'doveadm pw' }, suspend: { level: 'unsupported' } },
    };
    fake.answer('connections.capabilities', () => ok(caps));
    render(<detail.MailboxDetail mailbox={alice} onClose={() => undefined} />);
    expect(button('Reset password alice@example.test').disabled).toBe(false);

    await act(() => capabilities.useCapabilities.getState().ensure(['c1']));
    expect(button('Reset password alice@example.test').disabled).toBe(true);
    expect(button('Reset password alice@example.test').title).toBe('Reset passwords needs a helper outside Mailroom. Do it here instead: doveadm pw');
    expect(button('Invite alice@example.test').disabled).toBe(true);
    expect(button('Suspend alice@example.test').title).toBe('This platform cannot suspend mailboxes through Mailroom.');
    expect(button('Edit alice@example.test').disabled).toBe(false);
    expect(button('Delete alice@example.test').disabled).toBe(false);
  });
});
