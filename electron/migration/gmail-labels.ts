import { encodeMutf7 } from '../imap/mutf7.ts';

/** How a Gmail message's user labels land on a non-Gmail target: one folder each, or keywords on one copy. */
export type GmailLabelRule = 'folders' | 'keywords';

/** Where one Gmail message goes: logical folder paths ("/" between levels; special-use names for system folders). */
export interface LabelPlacement {
  /** The folder of the one APPEND. */
  readonly primary: Place;
  /** Further folders that show the message (folders rule, or several system labels). */
  readonly extra: readonly Place[];
  /** Keywords to set with the APPEND (keywords rule; \Important under both rules). */
  readonly keywords: readonly string[];
  /** System flags the labels stand for (\Starred → \Flagged). */
  readonly flags: readonly string[];
}

/** A logical folder: a user label path, or a system folder named by its special-use attribute. */
export type Place = { readonly label: string } | { readonly specialUse: '\\Inbox' | '\\Sent' | '\\Drafts' | '\\Archive' };

/**
 * The stated rule for Gmail's labels (the console and `mailroom migrate --help` repeat it):
 * - \Inbox → INBOX, \Sent → the Sent folder, \Draft → Drafts (folders under both rules);
 * - \Starred → the \Flagged flag; \Important → the keyword $Important;
 * - user labels → a folder each ("Work/2024" nests), or under the keywords rule one keyword each
 *   (the label in modified UTF-7, any character IMAP forbids in a keyword turned into "_");
 * - the one APPEND goes to INBOX, else Sent, else Drafts, else (folders rule) the first user label
 *   in sorted order, else Archive: a message with no user label and no system folder is archived.
 */
export function placeLabels(labels: readonly string[], rule: GmailLabelRule): LabelPlacement {
  const lower = new Set(labels.map((l) => l.toLowerCase()));
  const system: Place[] = [];
  if (lower.has('\\inbox')) system.push({ specialUse: '\\Inbox' });
  if (lower.has('\\sent')) system.push({ specialUse: '\\Sent' });
  if (lower.has('\\draft') || lower.has('\\drafts')) system.push({ specialUse: '\\Drafts' });
  const user = labels.filter((l) => !l.startsWith('\\')).sort();
  const flags = lower.has('\\starred') ? ['\\Flagged'] : [];
  const keywords = lower.has('\\important') ? ['$Important'] : [];
  if (rule === 'keywords') {
    const [primary = { specialUse: '\\Archive' as const }, ...extra] = system;
    return { primary, extra, keywords: [...keywords, ...user.map(labelKeyword)], flags };
  }
  const places: Place[] = [...system, ...user.map((label) => ({ label }))];
  const [primary = { specialUse: '\\Archive' as const }, ...extra] = places;
  return { primary, extra, keywords, flags };
}

/** A user label as an IMAP keyword (RFC 3501 flag-keyword: an atom): modified UTF-7, forbidden characters → "_". */
export function labelKeyword(label: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a keyword must not hold
  return encodeMutf7(label).replace(/[\s(){%*"\\\]\x00-\x1f\x7f]/g, '_');
}

/** The labels to STORE on a Gmail target after the one APPEND into `primary` (system labels as Gmail names them). */
export function labelsToStore(labels: readonly string[], primary: Place): string[] {
  const out: string[] = [];
  for (const l of labels) {
    const lower = l.toLowerCase();
    if (lower === '\\inbox' && !('specialUse' in primary && primary.specialUse === '\\Inbox')) out.push('\\Inbox');
    else if (lower === '\\important') out.push('\\Important');
    else if (!l.startsWith('\\') && !('label' in primary && primary.label === l)) out.push(l);
  }
  return out;
}

/** A stable text for a place (state rows, reports). */
export function placeName(p: Place): string {
  return 'label' in p ? p.label : p.specialUse;
}
