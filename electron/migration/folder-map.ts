import { compareNames } from '../imap/syntax.ts';

/** A source folder as listed (imapflow decodes modified UTF-7, so paths are Unicode). */
export interface SourceFolder {
  readonly path: string;
  readonly delimiter: string | null;
  readonly flags: ReadonlySet<string>;
  readonly specialUse?: string | undefined;
}

/** What the target looks like: its hierarchy, prefix and existing special-use folders. */
export interface TargetLayout {
  readonly delimiter: string;
  /** Personal namespace prefix such as "INBOX." (RFC 2342); "" for none. */
  readonly prefix: string;
  /** Existing target folders by special-use attribute, e.g. "\\Sent" → "Sent Items". */
  readonly specialUse: ReadonlyMap<string, string>;
  /** Name rules of the target platform. */
  readonly flavor?: 'gmail' | 'microsoft' | 'generic';
}

/** A user rule: `from` is a source path with "/" between levels; a trailing "/*" maps a whole subtree. */
export interface FolderRule {
  readonly from: string;
  readonly to: string;
}

/** Options that shape the mapping. */
export interface MapOptions {
  /** Source personal namespace prefix to strip, e.g. "INBOX." on Courier or Cyrus. */
  readonly sourcePrefix?: string;
  readonly rules?: readonly FolderRule[];
  /** The source is Gmail: "[Gmail]/" is dropped and virtual label views are skipped. */
  readonly gmailSource?: boolean;
  /** Whether to copy Gmail's All Mail (only the messages no label folder had). */
  readonly gmailAllMail?: boolean;
}

/** How one source folder is handled. */
export interface FolderMapping {
  readonly sourcePath: string;
  /** Target path in the target's own delimiter and prefix; null when the folder is skipped. */
  readonly targetPath: string | null;
  readonly specialUse: string | null;
  readonly skipReason: string | null;
  /** Set when a name was changed to satisfy the target (separator inside a name, reserved or refused name). */
  readonly renamed: string | null;
}

const DEFAULT_NAMES: Record<string, string> = {
  '\\Sent': 'Sent',
  '\\Drafts': 'Drafts',
  '\\Trash': 'Trash',
  '\\Junk': 'Junk',
  '\\Archive': 'Archive',
};

// RFC 6154 views onto other folders: copying them duplicates every message they show.
const VIRTUAL = new Set(['\\Flagged', '\\Important']);

/** Maps every source folder to a target path, in a stable order (Gmail's All Mail last). */
export function mapFolders(folders: readonly SourceFolder[], target: TargetLayout, options: MapOptions = {}): FolderMapping[] {
  const out = folders.map((f) => mapFolder(f, target, options));
  return out.sort((a, b) => rank(a) - rank(b) || compareNames(a.sourcePath, b.sourcePath));
}

function rank(m: FolderMapping): number {
  if (m.specialUse === '\\All') return 2;
  return m.sourcePath.toUpperCase() === 'INBOX' ? 0 : 1;
}

/** Maps one source folder. */
export function mapFolder(folder: SourceFolder, target: TargetLayout, options: MapOptions = {}): FolderMapping {
  const skip = (reason: string): FolderMapping => ({ sourcePath: folder.path, targetPath: null, specialUse: folder.specialUse ?? null, skipReason: reason, renamed: null });
  const flags = new Set([...folder.flags].map((f) => f.toLowerCase()));
  if (flags.has('\\noselect') || flags.has('\\nonexistent')) return skip('not a selectable folder (\\Noselect)');
  const special = folder.specialUse ?? null;
  if (special && VIRTUAL.has(special)) return skip(`virtual ${special} view; its messages are copied from their real folders`);
  if (special === '\\All' && !(options.gmailSource && options.gmailAllMail)) return skip('virtual \\All view; its messages are copied from their real folders');

  const srcDelim = folder.delimiter ?? '/';
  let logical = folder.path;
  if (options.sourcePrefix && logical.startsWith(options.sourcePrefix) && logical.toUpperCase() !== 'INBOX') {
    logical = logical.slice(options.sourcePrefix.length);
  }
  let segments = logical.split(srcDelim).filter((s, i, all) => s !== '' || i === all.length - 1);
  if (options.gmailSource && segments[0] === '[Gmail]' && segments.length > 1) segments = segments.slice(1);
  if (segments.length === 1 && segments[0]!.toUpperCase() === 'INBOX') segments = ['INBOX'];
  const logicalPath = segments.join('/');

  const rule = findRule(logicalPath, options.rules ?? []);
  let renamed: string | null = null;
  if (rule !== null) {
    segments = rule.split('/');
  } else if (special === '\\All') {
    segments = (target.specialUse.get('\\Archive') ?? DEFAULT_NAMES['\\Archive']!).split(target.delimiter);
    return finish(folder, special, joinTarget(segments, target, true), 'Gmail All Mail → Archive (only messages without another label)');
  } else if (special && DEFAULT_NAMES[special]) {
    const existing = target.specialUse.get(special);
    // An existing special-use folder is already a full target path in the target's syntax.
    if (existing) return finish(folder, special, existing, existing === logicalPath ? null : `special-use ${special} → "${existing}"`);
    segments = [DEFAULT_NAMES[special]!];
    if (segments.join('/') !== logicalPath) renamed = `special-use ${special} → "${segments[0]}"`;
  }

  const fixed = segments.map((s) => {
    const f = fixSegment(s, target);
    if (f !== s) renamed = `"${s}" → "${f}" (${target.delimiter !== srcDelim && s.includes(target.delimiter) ? 'contains the target separator' : 'refused by the target'})`;
    return f;
  });
  return finish(folder, special, joinTarget(fixed, target, false), renamed);
}

function finish(folder: SourceFolder, special: string | null, targetPath: string, renamed: string | null): FolderMapping {
  return { sourcePath: folder.path, targetPath, specialUse: special, skipReason: null, renamed };
}

function joinTarget(segments: readonly string[], target: TargetLayout, raw: boolean): string {
  const path = segments.join(target.delimiter);
  if (raw || path.toUpperCase() === 'INBOX') return raw ? path : 'INBOX';
  return target.prefix + path;
}

function findRule(path: string, rules: readonly FolderRule[]): string | null {
  for (const r of rules) {
    if (r.from === path) return r.to;
    if (r.from.endsWith('/*')) {
      const base = r.from.slice(0, -2);
      if (path === base) return r.to;
      if (path.startsWith(base + '/')) return r.to + path.slice(base.length);
    }
  }
  return null;
}

/** Makes one name segment acceptable to the target: separator inside a name, Gmail and Microsoft name rules. */
export function fixSegment(segment: string, target: Pick<TargetLayout, 'delimiter' | 'flavor'>): string {
  let s = segment.split(target.delimiter).join('_');
  if (target.flavor === 'gmail') s = s.replace(/\^/g, '_').replace(/\s+/g, ' ').trim() || '_';
  if (target.flavor === 'microsoft' && s.toLowerCase() === 'files') s = 'Files_migrated';
  return s;
}

/** Why the target would refuse a folder name as-is, or null (planner warnings). */
export function refusedNameReason(name: string, flavor: TargetLayout['flavor']): string | null {
  if (flavor === 'gmail') {
    if (/^\s|\s$|\s{2}/.test(name)) return 'Gmail refuses leading, trailing or repeated spaces';
    if (name.includes('^')) return 'Gmail refuses "^"';
  }
  if (flavor === 'microsoft' && name.toLowerCase() === 'files') return 'Microsoft 365 reserves "Files"';
  return null;
}

/** One warning per folder whose target name differs from the source's, with the rule that renamed it. */
export function renameWarnings(mappings: readonly FolderMapping[]): string[] {
  return mappings.filter((m) => m.renamed).map((m) => `${m.sourcePath}: ${m.renamed}`);
}
