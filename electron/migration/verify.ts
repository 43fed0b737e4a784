import type { ImapFlow } from 'imapflow';
import type { FolderMapping } from './folder-map.ts';
import { KeyCounts } from './message-key.ts';
import { fetchFolderKeys } from './message-meta.ts';
import type { StateStore } from './state-store.ts';

/** Per-folder verification: counts on both sides and what is missing or extra on the target. */
export interface FolderVerification {
  readonly sourcePath: string;
  readonly targetPath: string;
  readonly sourceCount: number;
  readonly targetCount: number;
  readonly copied: number;
  readonly failed: number;
  /** Source messages not on the target (failed ones included). */
  readonly missing: number;
  /** Target messages that no source message of this job accounts for (e.g. mail that was there before). */
  readonly extra: number;
  /** True when missing/extra come from comparing message keys, not just counts. */
  readonly deep: boolean;
}

/**
 * Builds the verification report. Shallow: from STATUS counts and the state store. Deep: reads
 * every target message's key (Message-ID + date + size, or header hash) and matches it against
 * the source messages the state store says landed, so a lost or doubled copy shows up.
 */
export async function verifyFolders(
  source: () => Promise<ImapFlow>,
  target: () => Promise<ImapFlow>,
  store: StateStore,
  work: readonly FolderMapping[],
  deep: boolean,
): Promise<FolderVerification[]> {
  const out: FolderVerification[] = [];
  const counts = store.folderCounts();
  for (const m of work) {
    const tPath = m.targetPath!;
    const s = await (await source()).status(m.sourcePath, { messages: true, uidValidity: true });
    const t = await (await target()).status(tPath, { messages: true }).catch(() => false as const);
    const sourceCount = s ? (s.messages ?? 0) : 0;
    const targetCount = t ? (t.messages ?? 0) : 0;
    const c = counts.get(m.sourcePath) ?? {};
    const landed = (c.done ?? 0) + (c.skipped ?? 0);
    let missing = Math.max(0, sourceCount - landed);
    let extra = Math.max(0, targetCount - store.landedCount(tPath));
    if (deep && s && s.uidValidity !== undefined) {
      const onTarget = new KeyCounts();
      for (const k of await fetchFolderKeys(await target(), tPath)) onTarget.add(k.key);
      const rows = store.rows(m.sourcePath, Number(s.uidValidity));
      const landedRows = rows.filter((r) => r.state === 'done' || r.state === 'skipped');
      const notThere = landedRows.filter((r) => !onTarget.take(r.key)).length;
      missing = Math.max(0, sourceCount - landedRows.length) + notThere;
      extra = onTarget.size;
    }
    out.push({ sourcePath: m.sourcePath, targetPath: tPath, sourceCount, targetCount, copied: landed, failed: c.failed ?? 0, missing, extra, deep });
  }
  return out;
}
