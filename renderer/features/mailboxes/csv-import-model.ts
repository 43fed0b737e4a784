import type { CachedDomain, CachedMailbox } from '../../../shared/domain/inventory.ts';
import type { MailboxPatch } from '../../../shared/domain/provisioning.ts';
import { parseQuotaMb } from '../../lib/bytes.ts';
import { parseCsvRecords, toCsv } from '../../lib/csv.ts';

/** Columns of the mailbox CSV, export and import alike. */
export const CSV_COLUMNS = ['address', 'display_name', 'quota_mb', 'active', 'used_bytes', 'forward_to', 'connection', 'platform'] as const;

/** The filtered mailbox list as CSV (never a password). */
export function mailboxesToCsv(rows: readonly CachedMailbox[]): string {
  return toCsv(
    CSV_COLUMNS,
    rows.map((m) => [m.address, m.displayName ?? '', m.quotaBytes === null ? '' : Math.round(m.quotaBytes / 1048576), m.active ? 'yes' : 'no', m.usedBytes ?? '', m.forwardTargets.join(' '), m.connectionName, m.connectionKind]),
  );
}

/** One line of the dry-run diff. */
export type ImportAction =
  | { readonly kind: 'create'; readonly line: number; readonly connectionId: string; readonly address: string; readonly displayName: string | null; readonly quotaBytes: number | null; readonly password: string }
  | { readonly kind: 'update'; readonly line: number; readonly connectionId: string; readonly address: string; readonly patch: MailboxPatch; readonly changes: readonly string[] }
  | { readonly kind: 'unchanged'; readonly line: number; readonly address: string }
  | { readonly kind: 'error'; readonly line: number; readonly address: string; readonly message: string };

const YES = new Set(['yes', 'true', '1', 'active', 'y']);
const NO = new Set(['no', 'false', '0', 'suspended', 'n', 'inactive']);

/** Compares a CSV with the cached mailboxes and says what importing it would do; writes nothing. */
export function planImport(text: string, domains: readonly CachedDomain[], existing: ReadonlyMap<string, CachedMailbox>): ImportAction[] {
  const { header, records } = parseCsvRecords(text);
  if (!header.includes('address')) return [{ kind: 'error', line: 1, address: '', message: 'The first line must name the columns and include "address".' }];
  return records.map((r, i): ImportAction => {
    const line = i + 2;
    const address = (r['address'] ?? '').toLowerCase();
    const at = address.lastIndexOf('@');
    if (at < 1 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) return { kind: 'error', line, address, message: 'Not an e-mail address.' };
    const quota = r['quota_mb'] === undefined ? undefined : parseQuotaMb(r['quota_mb']);
    if (Number.isNaN(quota)) return { kind: 'error', line, address, message: `quota_mb "${r['quota_mb']}" is not a number of MB.` };
    const activeText = (r['active'] ?? '').toLowerCase();
    if (activeText && !YES.has(activeText) && !NO.has(activeText)) return { kind: 'error', line, address, message: `active "${r['active']}" is neither yes nor no.` };
    const active = activeText ? YES.has(activeText) : undefined;
    const name = r['display_name'];
    const current = existing.get(address);
    if (current) {
      const patch: { displayName?: string; quotaBytes?: number | null; active?: boolean } = {};
      const changes: string[] = [];
      if (name !== undefined && name !== (current.displayName ?? '')) {
        patch.displayName = name;
        changes.push(`name “${current.displayName ?? ''}” → “${name}”`);
      }
      if (quota !== undefined && quota !== current.quotaBytes) {
        patch.quotaBytes = quota;
        changes.push(`quota ${r['quota_mb'] || 'unlimited'} MB`);
      }
      if (active !== undefined && active !== current.active) {
        patch.active = active;
        changes.push(active ? 'unsuspend' : 'suspend');
      }
      return changes.length ? { kind: 'update', line, connectionId: current.connectionId, address, patch, changes } : { kind: 'unchanged', line, address };
    }
    const domain = domains.find((d) => d.name === address.slice(at + 1));
    if (!domain) return { kind: 'error', line, address, message: `No connection holds the domain ${address.slice(at + 1)}.` };
    const password = r['password'] ?? '';
    if (password.length < 8) return { kind: 'error', line, address, message: 'A new mailbox needs a password column with at least 8 characters.' };
    return { kind: 'create', line, connectionId: domain.connectionId, address, displayName: name || null, quotaBytes: quota ?? null, password };
  });
}

/** Counts of each action kind, for the summary line. */
export function summarise(actions: readonly ImportAction[]): Record<ImportAction['kind'], number> {
  const counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const a of actions) counts[a.kind] += 1;
  return counts;
}
