import type { MigrationBatch, MigrationBatchPair, MigrationPlan } from '../../../../../shared/domain/migration.ts';

/** A two-mailbox plan into Microsoft 365 with the planner's usual warnings. */
export const plan: MigrationPlan = {
  id: 'p1',
  name: 'Acme to M365',
  createdAt: '2025-03-01T10:00:00Z',
  updatedAt: '2025-03-01T10:00:00Z',
  targetPreset: 'microsoft',
  sourcePreset: null,
  mailboxes: 2,
  messages: 1500,
  bytes: 300 * 1_048_576,
  batchSeconds: 3600,
  parallel: 4,
  warnings: 3,
  gmailLabels: 'once',
  timeline: [
    { at: '2025-03-02T09:00:00.000Z', step: 'lower the MX record TTL to 300 s (24 h ahead, so the old TTL has expired everywhere)' },
    { at: '2025-03-03T09:00:00.000Z', step: 'start the first pass (users keep working on the source)' },
    { at: '2025-03-03T10:00:00.000Z', step: 'first pass done: switch MX (and autodiscover/SRV) to the target' },
    { at: '2025-03-03T10:05:00.000Z', step: 'old TTL window over: run the delta pass (copies only new mail)' },
    { at: '2025-03-04T10:05:00.000Z', step: 'final delta pass after 24 h for stragglers; raise the TTL again' },
  ],
  rows: [
    {
      seq: 0,
      source: 'imaps://alice@old.example:993',
      target: 'imaps://alice@new.example:993',
      sourceConnectionId: null,
      targetConnectionId: null,
      hasSourceSecret: true,
      hasTargetSecret: true,
      inventory: [
        { path: 'INBOX', messages: 1000, bytes: 200 * 1_048_576, largest: 50 * 1_048_576, oversize: [50 * 1_048_576], keywords: [], labelCopies: 0, labelCopyBytes: 0 },
        { path: 'Files', messages: 0, bytes: 0, largest: 0, oversize: [], keywords: [], labelCopies: 0, labelCopyBytes: 0 },
      ],
      estimate: {
        messages: 1000, bytes: 200 * 1_048_576, uploadMessages: 1000, uploadBytes: 200 * 1_048_576, labelOverheadBytes: 0, oversize: 1, seconds: 2400, limitedBy: 'bandwidth',
        warnings: ["INBOX: 1 message(s) over Microsoft 365 / Exchange Online's 35.0 MB limit (largest 50.0 MB); they stay on the source", 'Files: Microsoft 365 reserves "Files"; it will be renamed'],
      },
      warnings: ["INBOX: 1 message(s) over Microsoft 365 / Exchange Online's 35.0 MB limit (largest 50.0 MB); they stay on the source", 'Files: Microsoft 365 reserves "Files"; it will be renamed'],
    },
    {
      seq: 1,
      source: 'imaps://bob@old.example:993',
      target: 'imaps://bob@new.example:993',
      sourceConnectionId: null,
      targetConnectionId: null,
      hasSourceSecret: true,
      hasTargetSecret: false,
      inventory: null,
      estimate: null,
      warnings: ['the source was unreachable: inventory not taken'],
    },
  ],
};

/** A pair of a batch. */
export function pair(seq: number, patch: Partial<MigrationBatchPair> = {}): MigrationBatchPair {
  return {
    seq, source: plan.rows[seq]!.source, target: plan.rows[seq]!.target, status: 'queued', folder: null, foldersDone: 0, foldersTotal: 2, passes: 0, startedAt: null, finishedAt: null, error: null, verified: null,
    total: 1000, copied: 0, skipped: 0, failed: 0, bytes: 0, messagesPerSecond: 0, bytesPerSecond: 0, etaSeconds: null, ...patch,
  };
}

/** A running batch of the plan. */
export const batch: MigrationBatch = {
  id: 'b1', planId: 'p1', planName: 'Acme to M365', status: 'running', dryRun: false, createdAt: '2025-03-03T09:00:00Z', updatedAt: '2025-03-03T09:00:00Z',
  pairsTotal: 2, pairsDone: 0, pairsFailed: 0, total: 2000, copied: 0, skipped: 0, failed: 0, bytes: 0, messagesPerSecond: 0, bytesPerSecond: 0, etaSeconds: null,
  options: {}, pairs: [pair(0, { status: 'running' }), pair(1)],
};
