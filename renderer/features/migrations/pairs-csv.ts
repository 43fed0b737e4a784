import { parseCsv } from '../../lib/csv.ts';

/** One side of a pair as parsed from the CSV: an IMAP URL without a password, or a bare user on the chosen connection. */
export interface PairEndpoint {
  /** The text sent to the planner: the normalised URL, or the user when the connection supplies the server. */
  readonly value: string;
  readonly user: string;
  /** Null when the server comes from the chosen connection. */
  readonly host: string | null;
  readonly port: number | null;
  readonly tls: 'implicit' | 'starttls' | 'none' | null;
}

/** A valid line of the pairs CSV. */
export interface ParsedPair {
  readonly line: number;
  readonly source: PairEndpoint;
  readonly target: PairEndpoint;
  /** Whether the line carries a password for the side (shown as such, never echoed). */
  readonly sourcePassword: boolean;
  readonly targetPassword: boolean;
}

/** A line the planner cannot use, with the reason in plain words. */
export interface PairError {
  readonly line: number;
  readonly text: string;
  readonly message: string;
}

/** What the paste box shows under the text: usable pairs and per-line problems. */
export interface PairsParse {
  readonly pairs: readonly ParsedPair[];
  readonly errors: readonly PairError[];
  readonly hasHeader: boolean;
}

/** Which sides have a connection chosen; on those sides a bare user (alice@example.com) is enough. */
export interface PairDefaults {
  readonly sourceConnection?: boolean;
  readonly targetConnection?: boolean;
}

/** An example users can paste as-is; also the placeholder of the paste box. */
export const PAIRS_EXAMPLE = 'source,target\nimaps://alice@mail.old.example,imaps://alice@imap.new.example\nimaps://bob@mail.old.example:993,imaps://bob@imap.new.example';

const SCHEMES: Record<string, PairEndpoint['tls']> = { 'imaps:': 'implicit', 'imap:': 'starttls', 'imap+plain:': 'none' };

/**
 * Parses the pairs CSV line by line: `source,target[,source_password,target_password,source_dav,target_dav,include_shared]` (header optional; `;` or
 * tab also accepted, as imapsync users paste them), each side an `imaps://USER@HOST[:PORT]` URL, or a bare user
 * when that side has a connection. Blank lines and lines starting with # are skipped. Passwords in a URL are refused.
 */
export function parsePairs(text: string, defaults: PairDefaults = {}): PairsParse {
  const pairs: ParsedPair[] = [];
  const errors: PairError[] = [];
  let hasHeader = false;
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const delimiter = trimmed.includes(',') ? ',' : trimmed.includes(';') ? ';' : trimmed.includes('\t') ? '\t' : ',';
    const cells = (parseCsv(delimiter === ',' ? trimmed : trimmed.split(delimiter).map(quote).join(','))[0] ?? []).map((c) => c.trim());
    if (pairs.length === 0 && errors.length === 0 && !hasHeader && /^source$/i.test(cells[0] ?? '') && /^target$/i.test(cells[1] ?? '')) {
      hasHeader = true;
      return;
    }
    const fail = (message: string) => errors.push({ line, text: raw, message });
    if (cells.length < 2 || !cells[1]) return fail('Needs at least two columns: source, then target.');
    if (cells.length > 7) return fail(`Has ${cells.length} columns; expected source,target[,source_password,target_password,source_dav,target_dav,include_shared].`);
    if (!/^(|yes|no|true|false|1|0)$/i.test(cells[6] ?? '')) return fail(`include_shared: "${cells[6]}" is not yes or no.`);
    const source = endpoint(cells[0]!, defaults.sourceConnection ?? false);
    if (typeof source === 'string') return fail(`Source: ${source}`);
    const target = endpoint(cells[1]!, defaults.targetConnection ?? false);
    if (typeof target === 'string') return fail(`Target: ${target}`);
    for (const [side, dav] of [['source_dav', cells[4] ?? ''], ['target_dav', cells[5] ?? '']] as const) {
      const problem = dav === '' ? null : davProblem(dav);
      if (problem) return fail(`${side}: ${problem}`);
    }
    const key = `${source.value} ${target.value}`;
    const previous = seen.get(key);
    if (previous !== undefined) return fail(`Same pair as line ${previous}.`);
    if (source.host !== null && source.value === target.value) return fail('Source and target are the same mailbox.');
    seen.set(key, line);
    pairs.push({ line, source, target, sourcePassword: (cells[2] ?? '') !== '', targetPassword: (cells[3] ?? '') !== '' });
  });
  return { pairs, errors, hasHeader };
}

// A CalDAV/CardDAV base URL (http(s), never a password: the IMAP side's is used), or a saved Google/Microsoft 365 connection's user.
function davProblem(text: string): string | null {
  if (/^(google|m365):/.test(text)) return /^(google|m365):[^/]+\/[^@\s/]+@[^@\s/]+\.[^@\s/]+$/.test(text) ? null : `"${text}" names no user: give google:CONNECTION/user@domain or m365:CONNECTION/user@domain.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL like https://dav.example/.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'use https:// for calendars and contacts.';
  return url.password ? 'a password in the DAV URL is not accepted; the IMAP side\'s password is used.' : null;
}

function quote(cell: string): string {
  return /[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function endpoint(text: string, onConnection: boolean): PairEndpoint | string {
  if (text === '') return 'empty.';
  if (!text.includes('://')) {
    if (/\s/.test(text)) return `"${text}" is neither an IMAP URL (imaps://user@host) nor a user name.`;
    if (!onConnection) return `"${text}" has no server: write imaps://${text}@HOST, or choose a connection for this side.`;
    return { value: text, user: text, host: null, port: null, tls: null };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL like imaps://user@host:993.`;
  }
  const tls = SCHEMES[url.protocol];
  if (!tls) return `unsupported scheme "${url.protocol.replace(/:$/, '')}"; use imaps:// or imap://.`;
  if (url.password) return 'a password in the URL is not accepted; put it in the source_password or target_password column (it goes to the system keychain).';
  const user = decodeURIComponent(url.username);
  if (!user) return `the URL needs a user name, e.g. ${url.protocol}//USER@${url.hostname}.`;
  if (!url.hostname) return 'the URL needs a host.';
  const port = url.port ? Number(url.port) : tls === 'implicit' ? 993 : 143;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { value: `${url.protocol}//${encodeURIComponent(user)}@${url.host}${url.port ? '' : `:${port}`}`, user, host, port, tls };
}
