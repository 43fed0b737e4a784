import type { MigrationFolderPass } from '../../shared/domain/migration-copy.ts';
import { applyChanges, markDone, pass, type DeltaContext, type DeltaTarget } from './delta-pass.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { FolderMapping } from './folder-map.ts';
import { unchangedSince, type FolderStatus } from './folder-status.ts';
import type { ModseqMark } from './modseq-state.ts';
import { CondstoreReader, type ChangeReader } from './condstore-reader.ts';
import { QresyncReader, type SpareLender } from './qresync-reader.ts';
import { targetCounts, type SourceProbe } from './quiet-check.ts';
import type { StateStore } from './state-store.ts';
import { TargetEditor } from './target-editor.ts';
import { countVerification, type FolderVerification } from './verify.ts';

/** What a delta-only run needs: the quiet check's findings, and where to read and apply changes. */
export interface DeltaOnlyInput {
  readonly target: DeltaTarget;
  /** The last complete run's folder mappings, and the source tree's fingerprint then and now. */
  readonly mappings: readonly FolderMapping[];
  readonly recordedFingerprint: string;
  readonly seen: SourceProbe | null;
  /** Target folder counts from the quiet check's round trip. */
  readonly counts: ReadonlyMap<string, number | null> | null;
  /** The state store's counts by folder and state, read once for the run (O(rows) at 100,000 rows: not read twice). */
  readonly byState: FolderTally;
  /** Landed messages per target folder, read while the quiet check's round trip was answered (also O(rows)). */
  readonly landed?: ReadonlyMap<string, number>;
  readonly reader: () => ChangeReader;
  readonly targetRaw: () => Promise<FetchConnection | null>;
}

/** One folder of a delta run: as the quiet check's STATUS shows it, and the mark to ask its changes since. */
export interface DeltaPlan {
  readonly m: FolderMapping;
  readonly status: FolderStatus;
  /** Null: the folder is unchanged. */
  readonly mark: ModseqMark | null;
  /** UIDNEXT moved on since the folder's last complete pass: new mail to copy (delta-copy.ts). */
  readonly newMail: boolean;
}

/** A delta run's outcome: applied (flags and expunges only), or folders with new mail to copy first. */
export type DeltaOutcome = { readonly verification: FolderVerification[]; readonly passes: MigrationFolderPass[]; readonly byState: FolderTally } | { readonly newMail: readonly DeltaPlan[] };

/**
 * The run between "nothing changed" and a full pass: when the source tree is as the last complete
 * run left it and no folder has a new UID, only flags and expunges changed. Then each changed
 * folder costs one QRESYNC EXAMINE on the source and a SELECT + STOREs on the target, on raw
 * connections, without listing or loading imapflow: O(changes). Null when that does not hold
 * (or a folder's UIDVALIDITY changed meanwhile): the caller takes the full path, which repeats
 * any change applied here harmlessly (setting flags and expunging are idempotent). When the only
 * other change is new mail in marked folders, the plans are returned for delta-copy.ts instead.
 */
export async function deltaOnlyRun(input: DeltaOnlyInput): Promise<DeltaOutcome | null> {
  const landed = landedCounts(input.target.store, input.landed);
  const plans = planDeltas(input, landed);
  if (!plans || !plans.some((p) => p.mark)) return null;
  if (plans.some((p) => p.newMail)) return { newMail: plans };
  const { store } = input.target;
  const passes: MigrationFolderPass[] = [];
  // The first changed folder's target SELECT travels while the source is asked what changed.
  const first = plans.find((p) => p.mark);
  if (first && !input.target.dryRun) input.target.editor.preselect(first.m.targetPath!);
  for (const { m, status, mark } of plans) {
    if (!mark) {
      passes.push(pass(m.sourcePath, 'unchanged', null));
      continue;
    }
    const changes = await input.reader().changesSince(m.sourcePath, mark, status.highestModseq);
    if (changes.uidValidity !== mark.uidValidity || !changes.modseqKept) return null;
    const applied = await applyChanges(input.target, m, mark.uidValidity, store.maxUid(m.sourcePath, mark.uidValidity), changes);
    if (!input.target.dryRun) markDone(store, m, status, { uidValidity: mark.uidValidity, highestModseq: status.highestModseq! });
    passes.push({ ...pass(m.sourcePath, 'delta', null), ...applied });
  }
  // Expunges changed the target's counts: ask again (one pipelined round trip).
  const raw = passes.some((p) => p.expunged > 0) ? await input.targetRaw() : null;
  const counts = raw ? await targetCounts(raw, plans.map((p) => p.m.targetPath!)) : input.counts!;
  // Only expunges (which forget rows) change what the state store counts.
  const byState = raw ? store.folderCounts() : input.byState;
  const landedNow = raw ? landedCounts(store) : landed;
  const verification = plans.map(({ m, status }) => countVerification(store, m, status.messages ?? 0, counts.get(m.targetPath!) ?? 0, byState, landedNow(m.targetPath!)));
  return { verification, passes, byState };
}

/** Counts by folder and state (StateStore.folderCounts). */
export type FolderTally = ReturnType<StateStore['folderCounts']>;

// Landed messages per target folder, each counted once per run (those already read are taken as they are).
function landedCounts(store: StateStore, read?: ReadonlyMap<string, number>): (targetPath: string) => number {
  const seen = new Map<string, number>(read);
  return (p) => seen.get(p) ?? seen.set(p, store.landedCount(p)).get(p)!;
}

// Every folder either unchanged or changed since a complete pass under the same UIDVALIDITY, with
// a mark to ask its changes since (flags, expunges, and new UIDs above the recorded UIDNEXT); else null.
function planDeltas(input: DeltaOnlyInput, landed: (targetPath: string) => number): DeltaPlan[] | null {
  const { seen, counts, byState } = input;
  const { store } = input.target;
  if (!seen || !counts || seen.fingerprint !== input.recordedFingerprint) return null;
  const plans: DeltaPlan[] = [];
  for (const m of input.mappings.filter((x) => x.targetPath !== null)) {
    const status = seen.status.get(m.sourcePath);
    const open = (byState.get(m.sourcePath)?.pending ?? 0) + (byState.get(m.sourcePath)?.appending ?? 0);
    // A target folder holding fewer messages than landed there lost some: the full path looks again.
    if (!status || open > 0 || (counts.get(m.targetPath!) ?? -1) < landed(m.targetPath!)) return null;
    if (unchangedSince(store, m.sourcePath, status, open)) {
      plans.push({ m, status, mark: null, newMail: false });
      continue;
    }
    const mark = store.modseq.get(m.sourcePath);
    const prev = store.folder(m.sourcePath);
    const uidValidity = Number(status.uidValidity);
    if (!mark || !prev || status.highestModseq === undefined || status.uidNext === undefined || prev.uidNext === null || prev.status !== 'done' || mark.uidValidity !== uidValidity || prev.uidValidity !== uidValidity || status.uidNext < prev.uidNext) return null;
    plans.push({ m, status, mark, newMail: status.uidNext > prev.uidNext });
  }
  return plans;
}

/**
 * How a source reports changes since a mark: QRESYNC (flags and expunges), CONDSTORE alone (flags;
 * expunges by UID search), or neither (the UID scan).
 */
export type ChangeSupport = 'qresync' | 'condstore' | null;

/** The source's change support from its capabilities after login. */
export function changeSupport(capabilities: { has(name: string): boolean } | undefined): ChangeSupport {
  if (capabilities?.has('QRESYNC')) return 'qresync';
  return capabilities?.has('CONDSTORE') ? 'condstore' : null;
}

/**
 * A run's delta machinery: the source's change reader (opened on first use) and the target
 * editor on the run's raw target connection, with the run's deletion setting.
 */
export class RunDeltas {
  private reader: ChangeReader | null = null;
  readonly target: DeltaTarget;
  /** DeltaContext.copiedBefore of the run's full pass. */
  readonly copiedBefore = new Map<string, number>();
  private readonly targetRaw: () => Promise<FetchConnection | null>;
  private readonly lender: SpareLender;
  // The quiet check's source connection, once it enabled QRESYNC there, and the changes it read.
  private probed: { readonly conn: FetchConnection; readonly changes: SourceProbe['changes'] } | null = null;

  /** `fetchers`: the run's raw target connection, and its source connections, lent to the reader one read at a time. */
  constructor(options: { syncDeletions?: boolean | undefined; dryRun?: boolean | undefined }, store: StateStore, warnings: string[], fetchers: SpareLender & { readonly targetRaw: () => Promise<FetchConnection | null> }) {
    const { targetRaw } = fetchers;
    this.targetRaw = targetRaw;
    this.lender = fetchers;
    this.target = { store, editor: new TargetEditor(targetRaw), syncDeletions: options.syncDeletions ?? false, dryRun: options.dryRun ?? false, warnings };
  }

  /** The reader, when the source offers QRESYNC or CONDSTORE. */
  readonly readerFor = (support: ChangeSupport): ChangeReader | null => (support ? this.openReader(support) : null);

  /** The folder-pass context of a full run (copyFolder). */
  context(support: ChangeSupport, passes: MigrationFolderPass[]): DeltaContext {
    return { reader: this.readerFor(support), editor: this.target.editor, syncDeletions: this.target.syncDeletions, passes, copiedBefore: this.copiedBefore };
  }

  /** The delta-only run after a failed quiet check; null when the full path is needed (always, for a source with neither extension). */
  async deltaOnly(record: { fingerprint: string; mappings: readonly FolderMapping[] }, seen: SourceProbe | null, counts: ReadonlyMap<string, number | null> | null, tally: Pick<DeltaOnlyInput, 'byState' | 'landed'>, support: ChangeSupport): Promise<DeltaOutcome | null> {
    if (!support) return null;
    return deltaOnlyRun({ target: this.target, mappings: record.mappings, recordedFingerprint: record.fingerprint, seen, counts, ...tally, reader: () => this.openReader(support), targetRaw: this.targetRaw });
  }

  /** The quiet check enabled QRESYNC on `conn` and read these folders' changes: the reader starts from them. */
  probedWith(conn: FetchConnection, changes: SourceProbe['changes']): void {
    this.probed = { conn, changes };
  }

  /** Logs the reader out, if it was opened; never throws. */
  async close(): Promise<void> {
    await this.reader?.close();
  }

  private openReader(support: 'qresync' | 'condstore'): ChangeReader {
    if (this.reader) return this.reader;
    // Expunges are looked for (a UID search up to the last copy) only when they are to be applied.
    const { store, syncDeletions } = this.target;
    const condstore = new CondstoreReader(this.lender, (path, uidValidity) => {
      if (!syncDeletions) return null;
      const upTo = store.maxUid(path, uidValidity);
      return { upTo, recorded: store.modseq.countUpTo(path, uidValidity, upTo) };
    });
    if (support === 'condstore') return (this.reader = condstore);
    // Where a server refuses QRESYNC on a used connection and the source is at its cap, a folder is read by CONDSTORE.
    const probed = this.probed;
    return (this.reader = new QresyncReader(this.lender, (conn, path, mark) => condstore.readOn(conn, path, mark), probed ? [probed.conn] : [], probed?.changes));
  }
}
