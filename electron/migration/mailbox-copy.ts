import { createHash } from 'node:crypto';
import type { CopyMailboxOptions, CopyMailboxProgress, CopyMailboxReport } from '../../shared/domain/migration-copy.ts';
import type { Db } from '../db/database.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import type { EarlySessions } from './early-sessions.ts';
import { describeEndpoint } from './endpoint.ts';
import type { MigrationSummary } from './migrate-job.ts';
import { presetFor } from './presets.ts';
import { StateStore } from './state-store.ts';

/** Progress samples, cancellation, and raw sessions started before the run (early-sessions.ts). */
export interface CopyHooks {
  readonly onProgress?: (p: CopyMailboxProgress) => void;
  readonly signal?: AbortSignal;
  readonly early?: EarlySessions;
}

/** A job's state opened elsewhere (under this pair's job id), with the step that makes its writes durable. */
export interface SharedJobState {
  readonly store: StateStore;
  durable(): Promise<void>;
}

/**
 * The job of a mailbox pair: its write-ahead state lives under this id, derived from the two
 * accounts (`user@host:port`), so every console batch and every `mailroom migrate` of the same
 * pair resumes the same state and never copies a message twice.
 */
export function jobIdOf(source: Pick<ImapEndpoint, 'user' | 'host' | 'port'>, target: Pick<ImapEndpoint, 'user' | 'host' | 'port'>): string {
  return createHash('sha256').update(`${describeEndpoint(source)}→${describeEndpoint(target)}`).digest('hex').slice(0, 16);
}

/**
 * Copies one mailbox pair now (migration.copyMailbox, and `mailroom migrate --state FILE`, which
 * keeps the state in its own database): resumable under the pair's job id, progress per sample.
 * Loads nothing of the app, so a standalone no-change re-run stays lean. The state is an SQLite
 * database, or a job's shared state (fleet/pg-job-state.ts), made durable before every APPEND.
 */
export async function copyMailbox(
  state: Db | SharedJobState,
  endpoints: { readonly source: ImapEndpoint; readonly target: ImapEndpoint },
  options: CopyMailboxOptions,
  hooks: CopyHooks = {},
): Promise<CopyMailboxReport> {
  return copyMailboxOn('durable' in state ? state : { store: new StateStore(state, jobIdOf(endpoints.source, endpoints.target)) }, endpoints, options, hooks);
}

/** copyMailbox on a state opened elsewhere (a fleet worker's job state, electron/fleet/job-state.ts); `durable` where it is shared. */
export async function copyMailboxOn(
  state: { readonly store: StateStore; durable?(): Promise<void> },
  endpoints: { readonly source: ImapEndpoint; readonly target: ImapEndpoint },
  options: CopyMailboxOptions,
  hooks: CopyHooks = {},
): Promise<CopyMailboxReport> {
  const { source, target } = endpoints;
  const jobId = jobIdOf(source, target);
  if (state.store.jobId !== jobId) throw new Error(`state opened for job ${state.store.jobId}, not this pair's ${jobId}`);
  const preset = options.targetPreset ? presetFor(options.targetPreset) : null;
  const maxMessageBytes = options.maxMessageBytes ?? preset?.maxMessageBytes;
  // The copy engine loads with its first run: every app command composes the migration service, few of them copy.
  const { runMigration } = await import('./migrate-job.ts');
  const summary = await runMigration({
    source,
    target,
    store: state.store,
    ...(state.durable ? { durable: () => state.durable!() } : {}),
    concurrency: options.concurrency ?? 4,
    dryRun: options.dryRun ?? false,
    verify: options.verify ?? true,
    syncDeletions: options.syncDeletions ?? false,
    ...(options.verifyOnly ? { verifyOnly: true } : {}),
    ...(options.includeShared ? { includeShared: true } : {}),
    rules: options.rules ?? [],
    ...(options.include ? { include: new RegExp(options.include) } : {}),
    ...(options.exclude ? { exclude: new RegExp(options.exclude) } : {}),
    ...(preset ? { targetFlavor: preset.flavor } : {}),
    ...(maxMessageBytes ? { maxMessageBytes } : {}),
    ...(options.gmailLabels ? { gmailLabels: options.gmailLabels } : {}),
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.early ? { early: hooks.early } : {}),
    onProgress: (p) => hooks.onProgress?.({ jobId, ...p }),
  });
  return { jobId, source: describeEndpoint(source), target: describeEndpoint(target), ...reportOf(summary) };
}

function reportOf(s: MigrationSummary): Omit<CopyMailboxReport, 'jobId' | 'source' | 'target'> {
  return {
    copied: s.copied,
    skipped: s.skipped,
    failed: s.failed,
    pending: s.pending,
    bytes: s.bytes,
    seconds: s.seconds,
    complete: s.complete,
    dryRun: s.dryRun,
    error: s.error,
    folders: s.verification,
    skippedFolders: s.folders.filter((f) => f.skipReason).map((f) => ({ sourcePath: f.sourcePath, reason: f.skipReason! })),
    failures: s.failures,
    warnings: s.warnings,
    reconnects: s.reconnects,
    quiet: s.quiet,
    passes: s.passes,
    content: s.content ? { checked: s.content.checked, differed: s.content.differed, unchecked: s.content.unchecked, method: s.content.method } : null,
  };
}
