// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FleetSettings, FleetStatus } from '../../../../../shared/domain/fleet.ts';
import type { StartBatchOptions } from '../../../../../shared/domain/migration.ts';
import { err, ok } from '../../../../../shared/errors/result.ts';
import type { WindowApi } from '../../../../../shared/ipc/contract.ts';
import { createFakeWindowApi, type FakeWindowApi } from '../../../../fakes/fake-window-api.ts';

let fake: FakeWindowApi;
let dialog: typeof import('../../../../../renderer/features/migrations/run-batch-dialog.tsx');
let panel: typeof import('../../../../../renderer/features/migrations/fleet-panel.tsx');

const SETTINGS: FleetSettings = { redis: 'redis://fleet.example:6379', state: 'sqlite:/srv/state.db', recipient: null, prefix: null, hasRedisPassword: true };
const RECIPIENT = `age1${'q'.repeat(58)}`;

beforeAll(async () => {
  fake = createFakeWindowApi();
  (window as { api?: WindowApi }).api = fake.api;
  dialog = await import('../../../../../renderer/features/migrations/run-batch-dialog.tsx');
  panel = await import('../../../../../renderer/features/migrations/fleet-panel.tsx');
});
afterEach(() => {
  cleanup();
  fake.calls.length = 0;
});

// The dialog's onRun: records the options and answers "started" (no error).
function run(started: StartBatchOptions[], options: StartBatchOptions): Promise<null> {
  started.push(options);
  return Promise.resolve(null);
}

describe('Run on fleet', () => {
  it('stores the fleet settings (the password only when typed) and starts the batch on that fleet', async () => {
    fake.answer('migration.fleetSettings', () => ok(SETTINGS));
    fake.answer('migration.setFleetSettings', () => ok({ ...SETTINGS, recipient: RECIPIENT }));
    const started: StartBatchOptions[] = [];
    render(<dialog.RunBatchDialog planName="Move" onRun={(o) => run(started, o)} onCancel={() => undefined} />);
    const box = await screen.findByRole('alertdialog', { name: 'Run “Move”' });
    expect((within(box).getByLabelText('Redis URL') as HTMLInputElement).value).toBe(SETTINGS.redis);
    expect((within(box).getByLabelText('Redis password') as HTMLInputElement).placeholder).toBe('kept in the keychain');
    fireEvent.change(within(box).getByLabelText('Fleet public key'), { target: { value: `# created by mailroom\n${RECIPIENT}\n` } });
    await act(async () => void fireEvent.click(within(box).getByRole('button', { name: 'Run batch' })));
    const sent = fake.calls.find((c) => c.channel === 'migration.setFleetSettings')!.args[0];
    expect(sent).toEqual({ redis: SETTINGS.redis, state: SETTINGS.state, recipient: `# created by mailroom\n${RECIPIENT}\n` });
    expect(started).toEqual([{ fleet: { redis: SETTINGS.redis, state: SETTINGS.state } }]);
  });

  it('says why the settings were refused and starts nothing', async () => {
    fake.answer('migration.fleetSettings', () => ok(SETTINGS));
    fake.answer('migration.setFleetSettings', () => err('input.invalid', 'The fleet Redis URL must be redis:// or rediss://'));
    const started: StartBatchOptions[] = [];
    render(<dialog.RunBatchDialog planName="Move" onRun={(o) => run(started, o)} onCancel={() => undefined} />);
    const box = await screen.findByRole('alertdialog', { name: 'Run “Move”' });
    await act(async () => void fireEvent.click(within(box).getByRole('button', { name: 'Run batch' })));
    expect(within(box).getByText(/must be redis:\/\/ or rediss:\/\//)).toBeTruthy();
    expect(started).toEqual([]);
  });
});

describe('FleetPanel', () => {
  it('shows the empty state without a live worker, and each worker once one beats', async () => {
    let status: FleetStatus = { workers: [], batches: [] };
    fake.answer('migration.fleetSettings', () => ok(SETTINGS));
    fake.answer('migration.fleetStatus', () => ok(status));
    const view = render(<panel.FleetPanel />);
    await screen.findByRole('region', { name: 'No worker is alive' });
    view.unmount();
    status = { workers: [{ host: 'w1', pid: 42, concurrency: 4, lanes: 5, active: 2, jobsDone: 7, jobsFailed: 1, messages: 900, throughput: 12.5, startedAt: Date.now() - 60_000, lastBeat: Date.now() }], batches: [] };
    render(<panel.FleetPanel />);
    const row = await screen.findByRole('row', { name: 'Worker w1:42' });
    expect(row.textContent).toContain('2 of 20');
    expect(row.textContent).toContain('7');
    expect(fake.calls.filter((c) => c.channel === 'migration.fleetStatus').at(-1)!.args[0]).toEqual({ redis: SETTINGS.redis });
  });
});
