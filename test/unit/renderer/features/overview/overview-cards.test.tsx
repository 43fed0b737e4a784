// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationBatchSummary } from '../../../../../shared/domain/migration.ts';
import { HealthCard, MigrationsCard, PlatformCounts } from '../../../../../renderer/features/overview/overview-cards.tsx';
import { connection } from '../../state/fixtures.ts';

const batch = (status: MigrationBatchSummary['status'], done: number): MigrationBatchSummary => ({
  id: `b-${status}`, planId: 'p', planName: `Move ${status}`, status, dryRun: false, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
  pairsTotal: 8, pairsDone: done, pairsFailed: 0, total: 100, copied: 40, skipped: 0, failed: 0, bytes: 0, messagesPerSecond: 0, bytesPerSecond: 0, etaSeconds: null,
});

afterEach(cleanup);

describe('Overview cards', () => {
  it('lists the migrations under way with their progress', () => {
    render(<MigrationsCard batches={[batch('running', 2), batch('paused', 6)]} />);
    const region = screen.getByRole('region', { name: 'Running migrations' });
    expect(region.textContent).toContain('Move running');
    expect(region.textContent).toContain('2 of 8 mailboxes');
    expect(screen.getByRole('progressbar', { name: 'Progress of Move paused' }).getAttribute('aria-valuenow')).toBe('75');
  });

  it('counts per platform with a total row per platform, and names the lowest deliverability scores', () => {
    const a = connection('a', 'postfixadmin', 'Box 10');
    const b = connection('b', 'postfixadmin', 'Box 2');
    render(
      <>
        <PlatformCounts platforms={[{ connection: a, domains: 3, mailboxes: 120 }, { connection: b, domains: 1, mailboxes: 5 }]} />
        <HealthCard connections={[a, b]} checks={[{ id: 1, domain: 'good.test', at: '2026-01-01T00:00:00Z', profile: 'hosted', score: 95, counts: { critical: 0, error: 0, warning: 0, info: 0, unknown: 0 } }, { id: 2, domain: 'bad.test', at: '2026-01-01T00:00:00Z', profile: 'hosted', score: 40, counts: { critical: 1, error: 0, warning: 0, info: 0, unknown: 0 } }]} />
      </>,
    );
    const rows = screen.getAllByRole('row').map((r) => r.textContent);
    expect(rows).toContain('PostfixAdmin4125');
    expect(rows).toContain('Box 103120Never tested');
    expect(screen.getByRole('region', { name: 'Health' }).textContent).toContain('2 domains checked, average 68 / 100');
    expect(screen.getByRole('list', { name: 'Lowest deliverability scores' }).textContent).toMatch(/^bad\.test40 \/ 100/);
  });
});
