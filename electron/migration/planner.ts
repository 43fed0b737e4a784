import { refusedNameReason } from './folder-map.ts';
import type { ProviderPreset } from './presets.ts';
import type { MigrationEstimate, MigrationFolderInventory } from '../../shared/domain/migration.ts';

/** One folder of a mailbox inventory (the shape the console shows). */
export type FolderInventory = MigrationFolderInventory;

/** Planner output for one mailbox pair (the shape the console shows). */
export type MailboxEstimate = MigrationEstimate;

/**
 * Computes the estimate and warnings for one mailbox against a target (and optional source) preset.
 * Other users' and shared folders count only when the plan includes them (as the copy takes them);
 * their figures come apart in `shared` either way. A folder with no namespace (older plans) is personal.
 */
export function estimateMailbox(all: readonly FolderInventory[], target: ProviderPreset, source: ProviderPreset | null = null, includeShared = false): MailboxEstimate {
  const outside = all.filter((f) => (f.namespace ?? 'personal') !== 'personal');
  const folders = includeShared ? all : all.filter((f) => (f.namespace ?? 'personal') === 'personal');
  const shared = outside.length > 0 ? { folders: outside.length, messages: sum(outside.map((f) => f.messages)), bytes: sum(outside.map((f) => f.bytes)), counted: includeShared } : undefined;
  const messages = sum(folders.map((f) => f.messages));
  const bytes = sum(folders.map((f) => f.bytes));
  const labelOverheadBytes = sum(folders.map((f) => f.labelCopyBytes));
  const uploadMessages = messages - sum(folders.map((f) => f.labelCopies));
  const uploadBytes = bytes - labelOverheadBytes;
  const oversize = sum(folders.map((f) => f.oversize.length));
  const warnings: string[] = [];
  for (const f of folders) {
    if (f.refused !== undefined) warnings.push(`${f.path}: the source would not open it (${f.refused}); its messages are not in the estimate`);
    if (f.oversize.length > 0) warnings.push(`${f.path}: ${f.oversize.length} message(s) over ${target.label}'s ${mb(target.maxMessageBytes ?? 0)} limit (largest ${mb(f.largest)}); they stay on the source`);
    if (target.keywordLimit !== null && f.keywords.length > target.keywordLimit) warnings.push(`${f.path}: ${f.keywords.length} distinct keywords, more than the ${target.keywordLimit} the target stores`);
    for (const segment of f.path.split('/')) {
      const why = refusedNameReason(segment, target.flavor);
      if (why) warnings.push(`${f.path}: ${why}; it will be renamed`);
    }
  }
  if (labelOverheadBytes > 0) warnings.push(`Gmail labels: ${mb(labelOverheadBytes)} of the mailbox are extra label copies; copy each message once (default) or once per label`);
  const candidates: [number, string][] = [];
  const rate = Math.min(target.messagesPerSecond ?? Infinity, source?.messagesPerSecond ?? Infinity);
  if (Number.isFinite(rate)) candidates.push([uploadMessages / rate, 'rate']);
  const bw = Math.min(target.bytesPerSecond ?? Infinity, source?.bytesPerSecond ?? Infinity);
  if (Number.isFinite(bw)) candidates.push([uploadBytes / bw, 'bandwidth']);
  const cap = Math.min(target.uploadBytesPerDay ?? Infinity, source?.downloadBytesPerDay ?? Infinity);
  if (Number.isFinite(cap)) candidates.push([(uploadBytes / cap) * 86_400, 'daily cap']);
  const [seconds, limitedBy] = candidates.sort((a, b) => b[0] - a[0])[0] ?? [0, 'none'];
  return { messages, bytes, uploadMessages, uploadBytes, labelOverheadBytes, oversize, seconds: Math.ceil(seconds), limitedBy, warnings, ...(shared ? { shared } : {}) };
}

/** Batch duration: mailboxes run `parallel` at a time, longest first (a greedy schedule). */
export function batchSeconds(estimates: readonly number[], parallel: number): number {
  const lanes = new Array<number>(Math.max(1, parallel)).fill(0);
  for (const s of [...estimates].sort((a, b) => b - a)) {
    const i = lanes.indexOf(Math.min(...lanes));
    lanes[i]! += s;
  }
  return Math.max(0, ...lanes);
}

/** One step of the DNS cut-over timeline. */
export interface CutoverStep {
  readonly at: string;
  readonly step: string;
}

/**
 * The cut-over timeline from a chosen start: lower the MX TTL 24 h before, copy (first pass),
 * switch MX, wait one (lowered) TTL for resolvers, then a delta pass that copies only what arrived.
 */
export function cutoverTimeline(start: Date, firstPassSeconds: number, loweredTtlSeconds = 300): CutoverStep[] {
  const at = (ms: number): string => new Date(start.getTime() + ms).toISOString();
  const pass = firstPassSeconds * 1000;
  return [
    { at: at(-24 * 3600_000), step: `lower the MX record TTL to ${loweredTtlSeconds} s (24 h ahead, so the old TTL has expired everywhere)` },
    { at: at(0), step: 'start the first pass (users keep working on the source)' },
    { at: at(pass), step: 'first pass done: switch MX (and autodiscover/SRV) to the target' },
    { at: at(pass + loweredTtlSeconds * 1000), step: 'old TTL window over: run the delta pass (copies only new mail)' },
    { at: at(pass + loweredTtlSeconds * 1000 + 24 * 3600_000), step: 'final delta pass after 24 h for stragglers; raise the TTL again' },
  ];
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
