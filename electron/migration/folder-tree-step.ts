import type { FetchConnection } from './fetch-connection.ts';
import { applyRenames, createTargetFolders } from './folder-create.ts';
import type { FolderMapping, TargetLayout } from './folder-map.ts';
import type { ListedFolder } from './raw-listing.ts';
import type { StateStore } from './state-store.ts';
import { releaseVanishedFolders } from './vanished-folders.ts';

/** What the step needs of the run. */
export interface FolderTreeRun {
  readonly store: StateStore;
  readonly targetRaw: () => Promise<FetchConnection | null>;
  readonly warnings: string[];
  /** Filled with every target folder this step tried to create, so the copy does not create it again. */
  readonly attempted: Set<string>;
}

/**
 * Before copying: folders that vanished from the source are released (reported, and the job can
 * complete), and missing target folders are created with their special-use attributes; a name
 * the target refuses is renamed and the mappings follow it. Returns the run's mappings.
 */
export async function settleFolderTree(
  run: FolderTreeRun,
  mappings: readonly FolderMapping[],
  listed: readonly ListedFolder[],
  targetListed: readonly ListedFolder[],
  layout: TargetLayout,
): Promise<FolderMapping[]> {
  const vanished = releaseVanishedFolders(run.store, new Set(listed.map((f) => f.path)), mappings.filter((m) => m.targetPath !== null), run.warnings);
  const existing = new Set(targetListed.map((f) => f.path));
  const missing = new Map<string, string | null>();
  for (const m of mappings) if (m.targetPath !== null && !existing.has(m.targetPath) && !missing.has(m.targetPath)) missing.set(m.targetPath, m.specialUse);
  const raw = missing.size > 0 ? await run.targetRaw() : null;
  if (!raw) return [...mappings, ...vanished];
  const made = await createTargetFolders(raw, [...missing].map(([path, specialUse]) => ({ path, specialUse })), layout.delimiter, new Set(layout.specialUse.keys()), run.warnings);
  for (const p of missing.keys()) run.attempted.add(p);
  for (const r of made.renamed.values()) run.attempted.add(r.to);
  return [...applyRenames(mappings, made.renamed), ...vanished];
}

/** The target's layout: its delimiter and personal prefix, and its existing special-use folders (RFC 6154). */
export function targetLayout(namespace: { readonly prefix: string; readonly delimiter: string | null } | undefined, listed: readonly ListedFolder[], flavor: TargetLayout['flavor']): TargetLayout {
  const delimiter = namespace?.delimiter ?? listed[0]?.delimiter ?? '/';
  const specialUse = new Map<string, string>();
  for (const f of listed) if (f.specialUse && !specialUse.has(f.specialUse)) specialUse.set(f.specialUse, f.path);
  return { delimiter, prefix: namespace?.prefix ?? '', specialUse, flavor: flavor ?? 'generic' };
}
