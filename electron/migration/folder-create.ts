import { encodeMutf7 } from '../imap/mutf7.ts';
import { imapQuote } from '../imap/syntax.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { FolderMapping } from './folder-map.ts';

/** The attributes RFC 6154 lets a client ask for on CREATE (CREATE-SPECIAL-USE). */
const CREATABLE = new Set(['\\Sent', '\\Drafts', '\\Trash', '\\Junk', '\\Archive']);

/** The rule applied to a folder name the target refuses, as the report states it. */
export const RENAME_RULE = 'every character the target refuses in a folder name becomes "_"';

/** A folder to create on the target, with the special-use attribute its source folder has. */
export interface FolderToCreate {
  readonly path: string;
  readonly specialUse: string | null;
}

/** What creating the missing folders did: renamed paths (refused name → created name) and which now exist. */
export interface CreatedFolders {
  readonly created: Set<string>;
  /** Refused name → the name created instead, with the target's refusal. */
  readonly renamed: Map<string, { readonly to: string; readonly refusal: string }>;
}

/**
 * Creates (and subscribes) the missing target folders, pipelined on the raw target connection.
 * With CREATE-SPECIAL-USE the special-use attribute is asked for on CREATE (RFC 6154 §3), unless the
 * target already has a folder with it. A name the target refuses is renamed by RENAME_RULE and
 * created again; every change goes to `warnings`.
 */
export async function createTargetFolders(
  raw: FetchConnection,
  folders: readonly FolderToCreate[],
  delimiter: string,
  existingSpecialUse: ReadonlySet<string>,
  warnings: string[],
): Promise<CreatedFolders> {
  const useAllowed = raw.capabilities.has('CREATE-SPECIAL-USE');
  const useOf = (f: FolderToCreate): string | null => (useAllowed && f.specialUse && CREATABLE.has(f.specialUse) && !existingSpecialUse.has(f.specialUse) ? f.specialUse : null);
  const result: CreatedFolders = { created: new Set(), renamed: new Map() };
  const first = await createAll(raw, folders.map((f) => ({ path: f.path, use: useOf(f) })));
  const retry: { original: FolderToCreate; path: string; use: string | null }[] = [];
  for (const [i, f] of folders.entries()) {
    const answer = first[i]!;
    if (answer.ok) {
      result.created.add(f.path);
      continue;
    }
    // A server that does not take this attribute on CREATE still gets the folder, without it.
    if (useOf(f) && /USEATTR|special.?use/i.test(answer.text)) {
      retry.push({ original: f, path: f.path, use: null });
      continue;
    }
    const renamed = renameRefused(f.path, answer.text, delimiter);
    if (renamed === null) warnings.push(`create ${f.path}: ${answer.text}`);
    else retry.push({ original: f, path: renamed, use: useOf(f) });
  }
  const second = await createAll(raw, retry);
  for (const [i, r] of retry.entries()) {
    if (!second[i]!.ok) {
      warnings.push(`create ${r.path}: ${second[i]!.text}`);
      continue;
    }
    result.created.add(r.path);
    if (r.path !== r.original.path) result.renamed.set(r.original.path, { to: r.path, refusal: first[folders.indexOf(r.original)]!.text });
    else if (r.original.specialUse) warnings.push(`${r.path}: created without ${r.original.specialUse}; the target refused the attribute`);
  }
  return result;
}

/** The name under RENAME_RULE, or null when no refused character can be told (the refusal is then reported as is). */
export function renameRefused(path: string, refusal: string, delimiter: string): string | null {
  const named = /character[^']*'([^'])'/i.exec(refusal)?.[1] ?? /'([^'])' (?:is )?not allowed/i.exec(refusal)?.[1];
  const refused = named ?? (path.includes('.') && delimiter !== '.' ? '.' : null);
  if (refused === null || refused === delimiter || !path.includes(refused)) return null;
  return path
    .split(delimiter)
    .map((segment) => segment.split(refused).join('_'))
    .join(delimiter);
}

/** The mappings with renamed target paths applied, each noting its rename. */
export function applyRenames(mappings: readonly FolderMapping[], renamed: CreatedFolders['renamed']): FolderMapping[] {
  return mappings.map((m) => {
    const r = m.targetPath !== null ? renamed.get(m.targetPath) : undefined;
    return r === undefined ? m : { ...m, targetPath: r.to, renamed: `"${m.targetPath}" → "${r.to}": the target refused the name (${r.refusal}); ${RENAME_RULE}` };
  });
}

async function createAll(raw: FetchConnection, folders: readonly { path: string; use: string | null }[]): Promise<{ ok: boolean; text: string }[]> {
  if (folders.length === 0) return [];
  const commands = folders.flatMap((f) => {
    const name = imapQuote(encodeMutf7(f.path));
    return [`CREATE ${name}${f.use ? ` (USE (${f.use}))` : ''}`, `SUBSCRIBE ${name}`];
  });
  const answers = await raw.pipeline(commands);
  return folders.map((_, i) => {
    const a = answers[i * 2]!;
    return { ok: a.status === 'OK' || /exist/i.test(a.text), text: a.text };
  });
}
