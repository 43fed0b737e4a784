// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../../../../shared/errors/result.ts';
import type { NewPlanFromCsv } from '../../../../../shared/domain/migration.ts';
import type { WindowApi } from '../../../../../shared/ipc/contract.ts';
import { createFakeWindowApi, type FakeWindowApi } from '../../../../fakes/fake-window-api.ts';
import { batch, pair, plan } from './fixtures.ts';

let fake: FakeWindowApi;
let page: typeof import('../../../../../renderer/features/migrations/migrations-page.tsx');
let store: typeof import('../../../../../renderer/features/migrations/migrations-store.ts');

beforeAll(async () => {
  fake = createFakeWindowApi();
  (window as { api?: WindowApi }).api = fake.api;
  // jsdom has no canvas or matchMedia; the chart is not under test here.
  window.matchMedia ??= (() => ({ matches: false, addEventListener: () => undefined, removeEventListener: () => undefined })) as unknown as typeof window.matchMedia;
  page = await import('../../../../../renderer/features/migrations/migrations-page.tsx');
  store = await import('../../../../../renderer/features/migrations/migrations-store.ts');
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('MigrationsPage', () => {
  it('says what to do when there is no plan, and checks a pasted CSV line by line', async () => {
    fake.answer('migration.listPlans', () => ok([]));
    fake.answer('migration.listBatches', () => ok([]));
    render(<page.MigrationsPage />);
    await screen.findByText('No migration plans yet — import a CSV of mailbox pairs or pick two connections.');
    fireEvent.click(screen.getByRole('button', { name: 'Import a CSV of pairs' }));
    const dialog = screen.getByRole('dialog', { name: 'New migration plan' });
    const box = within(dialog).getByLabelText('Mailbox pairs (CSV)');
    fireEvent.change(box, { target: { value: 'source,target\nimaps://a@old.example,imaps://a@new.example\nimaps://b@old.example\n' } });
    expect(within(dialog).getByText(/1 pair ready · 1 line needs fixing/)).toBeTruthy();
    const problems = within(dialog).getByRole('list', { name: 'Lines with problems' });
    expect(problems.textContent).toContain('Line 3');
    expect(problems.textContent).toContain('Needs at least two columns');
    expect((within(dialog).getByRole('button', { name: /Create plan/ }) as HTMLButtonElement).disabled).toBe(true);

    fake.answer('migration.createPlanFromCsv', () => ok(plan));
    fake.answer('migration.getPlan', () => ok(plan));
    fireEvent.change(box, { target: { value: 'source,target\nimaps://a@old.example,imaps://a@new.example\n' } });
    await act(async () => void fireEvent.click(within(dialog).getByRole('button', { name: /Create plan/ })));
    const sent = fake.calls.find((c) => c.channel === 'migration.createPlanFromCsv')!.args[0] as NewPlanFromCsv;
    expect(sent).toMatchObject({ csv: 'source,target\nimaps://a@old.example,imaps://a@new.example\n', preset: 'dovecot', parallel: 4, inventory: true });
    expect(window.location.hash).toBe('#/migrations/plan/p1');
  });

  it('shows a plan with warnings and the cut-over, and saves an offline edit', async () => {
    fake.answer('migration.getPlan', () => ok(plan));
    fake.answer('migration.updatePlan', (_id: string, patch: { keepRows?: number[] }) => ok({ ...plan, rows: plan.rows.filter((r) => patch.keepRows?.includes(r.seq) ?? true) }));
    window.location.hash = '#/migrations/plan/p1';
    render(<page.MigrationsPage />);
    await screen.findByRole('heading', { name: 'Acme to M365', level: 1 });
    expect(screen.getByRole('list', { name: 'DNS cut-over timeline' }).textContent).toMatch(/T−25 hLower the MX TTL.*TSwitch MX to the target/);
    expect(screen.getByText('Offline plan')).toBeTruthy();
    // Table rows are drawn a frame after the table.
    fireEvent.click(await screen.findByRole('button', { name: '2 warnings for imaps://alice@old.example:993' }));
    expect(screen.getByRole('list', { name: 'Warnings for imaps://alice@old.example:993' }).textContent).toContain('Microsoft 365 reserves "Files"');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Include imaps://bob@old.example:993' }));
    expect((screen.getByRole('button', { name: 'Run batch' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Save changes' })));
    expect(fake.calls.find((c) => c.channel === 'migration.updatePlan')?.args).toEqual(['p1', { keepRows: [0] }]);
  });

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
    expect(fake.calls.findLast((c) => c.channel === 'migration.updatePlan')?.args).toEqual(['p1', { gmailLabels: 'keywords' }]);
  });

  it("shows what other users' and shared folders hold apart from the size, and saves the choice to copy them", async () => {
    const alice = plan.rows[0]!;
    // Saved after the plan of the other tests (the store keeps the last one it loaded): the detail starts from this one.
    const withShared = { ...plan, updatedAt: '2026-12-08T00:00:00.000Z', rows: [{ ...alice, estimate: { ...alice.estimate!, shared: { folders: 1, messages: 3, bytes: 2_000_000, counted: false } } }, ...plan.rows.slice(1)] };
    fake.answer('migration.getPlan', () => ok(withShared));
    // As the service answers: the estimate recomputed, the shared folders now counted in the size.
    const counted = { ...withShared, includeShared: true, rows: [{ ...alice, estimate: { ...alice.estimate!, bytes: alice.estimate!.bytes + 2_000_000, shared: { folders: 1, messages: 3, bytes: 2_000_000, counted: true } } }, ...plan.rows.slice(1)] };
    fake.answer('migration.updatePlan', (_id: string, patch: { includeShared?: boolean }) => ok(patch.includeShared ? counted : withShared));
    window.location.hash = '#/migrations/plan/p1';
    render(<page.MigrationsPage />);
    await screen.findByRole('heading', { name: 'Acme to M365', level: 1 });
    const row = await screen.findByRole('row', { name: `${alice.source} to ${alice.target}` });
    expect(row.textContent).toContain('+ 2.0 MB shared');
    expect(screen.getByText(/counted in the estimate, only when asked for\. Here they hold 2\.0 MB\./)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Folders to copy'), { target: { value: 'shared' } });
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Save changes' })));
    expect(fake.calls.findLast((c) => c.channel === 'migration.updatePlan')?.args).toEqual(['p1', { includeShared: true }]);
    const saved = await screen.findByRole('row', { name: `${alice.source} to ${alice.target}` });
    await waitFor(() => expect(saved.textContent).toContain('incl. 2.0 MB shared'));
    expect((screen.getByLabelText('Folders to copy') as HTMLSelectElement).value).toBe('shared');
  });

  it('shows live progress, a failed mailbox with Retry, and confirms before cancelling', async () => {
    const failed = { ...batch, status: 'failed' as const, pairsFailed: 1, pairs: [pair(0, { status: 'done', copied: 1000, verified: { clean: true, missing: 0, extra: 0 } }), pair(1, { status: 'failed', error: { code: 'imap.auth', message: 'bob: AUTHENTICATE failed' } })] };
    fake.answer('migration.getBatch', () => ok(batch));
    fake.answer('migration.listBatches', () => ok([]));
    window.location.hash = '#/migrations/batch/b1';
    render(<page.MigrationsPage />);
    await screen.findByRole('heading', { name: 'Batch · Acme to M365' });
    const { pairs: _p, options: _o, ...summary } = batch;
    act(() => fake.emit('migration.progress', { batch: { ...summary, copied: 500, messagesPerSecond: 125, bytesPerSecond: 2 * 1_048_576, etaSeconds: 12 }, pairs: [pair(0, { status: 'running', copied: 500 })] }));
    const overall = screen.getByRole('region', { name: 'Overall progress' });
    expect(overall.textContent).toContain('25 %');
    expect(overall.textContent).toContain('125 msg/s');
    expect(overall.textContent).toContain('2.0 MB/s');
    expect(overall.textContent).toContain('12 s');

    fireEvent.click(screen.getByRole('button', { name: 'Cancel batch' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Cancel this batch?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(fake.calls.some((c) => c.channel === 'migration.cancelBatch')).toBe(false);

    fake.answer('migration.getBatch', () => ok(failed));
    await act(async () => store.useMigrations.getState().openBatch('b1'));
    const bob = await screen.findByRole('row', { name: 'imaps://bob@old.example:993' });
    expect(bob.textContent).toContain('The server rejected the user name or password.');
    fake.answer('migration.retryFailed', () => ok({ ...failed, status: 'running' }));
    await act(async () => void fireEvent.click(within(bob).getByRole('button', { name: 'Retry imaps://bob@old.example:993' })));
    expect(fake.calls.at(-1)).toEqual({ channel: 'migration.retryFailed', args: ['b1'] });
  });
});
