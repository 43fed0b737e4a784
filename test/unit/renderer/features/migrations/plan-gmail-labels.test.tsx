// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../../../../shared/errors/result.ts';
import type { WindowApi } from '../../../../../shared/ipc/contract.ts';
import { createFakeWindowApi, type FakeWindowApi } from '../../../../fakes/fake-window-api.ts';
import { plan } from './fixtures.ts';

let fake: FakeWindowApi;
let page: typeof import('../../../../../renderer/features/migrations/migrations-page.tsx');

beforeAll(async () => {
  fake = createFakeWindowApi();
  (window as { api?: WindowApi }).api = fake.api;
  window.matchMedia ??= (() => ({ matches: false, addEventListener: () => undefined, removeEventListener: () => undefined })) as unknown as typeof window.matchMedia;
  page = await import('../../../../../renderer/features/migrations/migrations-page.tsx');
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('plan settings: Gmail labels', () => {
  it('offers labels as folders, as keywords or per label folder, states the rule, and saves the choice', async () => {
    fake.answer('migration.getPlan', () => ok(plan));
    fake.answer('migration.updatePlan', (_id: string, patch: { gmailLabels?: string }) => ok({ ...plan, ...patch }));
    window.location.hash = '#/migrations/plan/p1';
    render(<page.MigrationsPage />);
    await screen.findByRole('heading', { name: 'Acme to M365', level: 1 });
    const select = screen.getByLabelText('Gmail labels') as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.text])).toEqual([
      ['once', 'Each message once, labels as folders'],
      ['keywords', 'Each message once, labels as keywords'],
      ['per-label', 'Copy every label folder on its own'],
    ]);
    expect(screen.getByText(/Starred becomes flagged, Important the \$Important keyword; mail without a label goes to Archive/)).toBeTruthy();
    fireEvent.change(select, { target: { value: 'keywords' } });
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Save changes' })));
    expect(fake.calls.find((c) => c.channel === 'migration.updatePlan')?.args).toEqual(['p1', { gmailLabels: 'keywords' }]);
  });
});
