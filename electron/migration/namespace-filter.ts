import type { FolderMapping, SourceFolder } from './folder-map.ts';
import type { Namespaces } from './raw-listing.ts';

/** The source's namespaces (RFC 2342) as the copy needs them: prefixes of other users' and shared folders. */
export interface SourceNamespaces {
  readonly personal: readonly string[];
  /** Other users' folders ("Other Users/", Cyrus's "user."). */
  readonly other: readonly string[];
  /** Public folders ("Shared Folders/", or "" on Cyrus's standard namespace). */
  readonly shared: readonly string[];
}

/** The namespaces the listing read (NAMESPACE, RFC 2342); none known means every folder is personal. */
export function namespacesOf(n: Namespaces | undefined): SourceNamespaces {
  const prefixes = (list: Namespaces['other'] | undefined): string[] => (list ? list.map((x) => x.prefix ?? '') : []);
  return { personal: n ? prefixes(n.personal) : [''], other: prefixes(n?.other), shared: prefixes(n?.shared) };
}

/** Which namespace a folder is in: the longest prefix that starts its path wins, the personal one on a tie; INBOX is always personal. */
export function namespaceKind(path: string, ns: SourceNamespaces): 'personal' | 'other' | 'shared' {
  if (path.toUpperCase() === 'INBOX') return 'personal';
  let best: { kind: 'personal' | 'other' | 'shared'; length: number } = { kind: 'personal', length: -1 };
  const consider = (kind: 'personal' | 'other' | 'shared', prefixes: readonly string[]): void => {
    for (const p of prefixes) {
      // The namespace's own root ("Other Users") belongs to it as well as what is under it.
      const root = p.length > 1 ? p.slice(0, -1) : p;
      const inside = path.startsWith(p) || (p !== '' && path === root);
      if (inside && p.length > best.length) best = { kind, length: p.length };
    }
  };
  consider('personal', ns.personal);
  consider('other', ns.other);
  consider('shared', ns.shared);
  return best.kind;
}

/**
 * Keeps the personal namespace only, unless shared folders are asked for. Skipped folders come
 * back as mappings with the reason; kept shared folders lose any special-use attribute, so another
 * user's Sent is never merged into this user's Sent.
 */
export function selectNamespaces<F extends SourceFolder>(folders: readonly F[], ns: SourceNamespaces, includeShared: boolean): { kept: F[]; skipped: FolderMapping[] } {
  const kept: F[] = [];
  const skipped: FolderMapping[] = [];
  for (const f of folders) {
    const kind = namespaceKind(f.path, ns);
    if (kind === 'personal') kept.push(f);
    else if (includeShared) kept.push({ ...f, specialUse: undefined });
    else {
      const whose = kind === 'other' ? "another user's folder" : 'a shared folder';
      skipped.push({ sourcePath: f.path, targetPath: null, specialUse: null, skipReason: `${whose}, outside the personal namespace (copied only when shared folders are asked for)`, renamed: null });
    }
  }
  return { kept, skipped };
}
