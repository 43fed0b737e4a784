import type { MigrationBatchStatus, MigrationCounters, MigrationPairStatus } from '../../../shared/domain/migration.ts';
import type { BadgeTone } from '../../components/badge.tsx';
import type { BatchAction } from './migrations-store.ts';

/** Words and colour of a batch status. */
export const BATCH_STATUS: Readonly<Record<MigrationBatchStatus, { readonly label: string; readonly tone: BadgeTone }>> = {
  running: { label: 'Running', tone: 'info' },
  pausing: { label: 'Pausing…', tone: 'info' },
  paused: { label: 'Paused', tone: 'warning' },
  interrupted: { label: 'Interrupted', tone: 'warning' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  done: { label: 'Done', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
};

/** Words and colour of a pair status. */
export const PAIR_STATUS: Readonly<Record<MigrationPairStatus, { readonly label: string; readonly tone: BadgeTone }>> = {
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Copying', tone: 'info' },
  paused: { label: 'Paused', tone: 'warning' },
  done: { label: 'Done', tone: 'success' },
  incomplete: { label: 'Incomplete', tone: 'warning' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

/** Messages accounted for (copied or already there) out of the total, and the share 0–1. */
export function progressOf(c: Pick<MigrationCounters, 'total' | 'copied' | 'skipped'>): { readonly done: number; readonly total: number; readonly ratio: number } {
  const done = c.copied + c.skipped;
  const ratio = c.total > 0 ? Math.min(1, done / c.total) : 0;
  return { done, total: c.total, ratio };
}

/** The controls a batch offers in its state, in button order. */
export function batchActions(status: MigrationBatchStatus, failures: number): readonly BatchAction[] {
  switch (status) {
    case 'running':
      return ['pause', 'cancel'];
    case 'pausing':
      return ['cancel'];
    case 'paused':
    case 'interrupted':
      return ['resume', 'cancel'];
    case 'failed':
      return ['retryFailed', 'deltaPass', 'verify'];
    case 'cancelled':
      return failures > 0 ? ['retryFailed'] : ['deltaPass'];
    case 'done':
      return failures > 0 ? ['retryFailed', 'deltaPass', 'verify'] : ['deltaPass', 'verify'];
  }
}

/** Button labels of the batch controls. */
export const ACTION_LABEL: Readonly<Record<BatchAction, string>> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel batch',
  retryFailed: 'Retry failed',
  deltaPass: 'Run delta pass',
  verify: 'Verify',
};
