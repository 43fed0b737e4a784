import { randomBytes } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import type { InventoryRepo } from '../db/inventory-repo.ts';
import type { CachedMailbox } from '../../shared/domain/inventory.ts';
import type { ImportRequest, ImportRowType, ImportStep, ImportStepKind } from '../../shared/domain/import.ts';
import type { Args } from '../../shared/ipc/contract.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';

/** One console operation an import step applies, named by its channel (also its journal action). */
export type ImportOp =
  | { readonly action: 'domains.create'; readonly args: Args<'domains', 'create'> }
  | { readonly action: 'mailboxes.create'; readonly args: Args<'mailboxes', 'create'> }
  | { readonly action: 'mailboxes.update'; readonly args: Args<'mailboxes', 'update'> }
  | { readonly action: 'mailboxes.setForwarding'; readonly args: Args<'mailboxes', 'setForwarding'> }
  | { readonly action: 'aliases.upsert'; readonly args: Args<'aliases', 'upsert'> }
  | { readonly action: 'groups.upsert'; readonly args: Args<'groups', 'upsert'> };

/** One CSV line with the operations that apply it. */
export interface PlannedStep extends ImportStep {
  readonly ops: readonly ImportOp[];
  readonly generatedPassword?: string;
}

const TYPES = new Set<ImportRowType>(['domain', 'mailbox', 'alias', 'group', 'forward']);
const YES = new Set(['yes', 'true', '1', 'active', 'y', 'on']);
const NO = new Set(['no', 'false', '0', 'suspended', 'n', 'inactive', 'off']);
const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z0-9-]{2,}$/;

const MB = 1024 * 1024;
const sizeText = (n: number | null | undefined): string => (n === null || n === undefined ? 'unlimited' : n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(2)} GiB` : `${+(n / MB).toFixed(1)} MiB`);

/** Parses "500MB", "2GiB", "unlimited" into bytes (null = unlimited); NaN when it is not a size. */
export function parseImportSize(value: string): number | null {
  if (/^(unlimited|none|0)$/i.test(value.trim())) return null;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit !== undefined ? Math.round(Number(m[1]) * unit) : Number.NaN;
}

/** Plans a CSV against the cache: one step per line, each with the operations that apply it. */
export function planImport(inventory: InventoryRepo, request: ImportRequest): Result<PlannedStep[]> {
  let records: Record<string, string>[];
  try {
    records = parseCsv(request.csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }) as Record<string, string>[];
  } catch (error) {
    return err('input.invalid', `The CSV cannot be read: ${(error as Error).message}`);
  }
  if (records.length > 0 && !('address' in records[0]!)) return err('input.invalid', 'The first line must name the columns and include "address".');
  const domains = new Map<string, string>();
  for (const d of inventory.listDomains(request.connectionId ? { connectionId: request.connectionId } : {})) if (!domains.has(d.name)) domains.set(d.name, d.connectionId);
  const boxes = new Map<string, CachedMailbox[]>();
  for (const m of inventory.mailboxesByAddress([...new Set(records.map((r) => (r['address'] ?? '').toLowerCase()))])) boxes.set(m.address, [...(boxes.get(m.address) ?? []), m]);
  const scope = request.connectionId ? { connectionId: request.connectionId } : {};
  const aliases = new Map(inventory.listAliases(scope).map((a) => [`${a.connectionId}/${a.address}`, a.targets.join(',')]));
  const groups = new Map(inventory.listGroups(scope).map((g) => [`${g.connectionId}/${g.address}`, g.members.join(',')]));

  return ok(records.map((r, i): PlannedStep => {
    const line = i + 2;
    const type = ((r['type'] || 'mailbox').toLowerCase()) as ImportRowType;
    const address = (r['address'] ?? '').toLowerCase();
    const fail = (detail: string): PlannedStep => ({ line, kind: 'error', type: TYPES.has(type) ? type : 'mailbox', address, connectionId: null, detail, ops: [] });
    if (!TYPES.has(type)) return fail(`Unknown type "${r['type']}": domain, mailbox, alias, group or forward.`);
    const domain = type === 'domain' ? address : address.slice(address.lastIndexOf('@') + 1);
    if (type === 'domain' ? !DOMAIN.test(address) : !(EMAIL.test(address) || (type === 'alias' && address.startsWith('@') && DOMAIN.test(domain)))) return fail(type === 'domain' ? 'Not a domain name.' : 'Not an e-mail address.');
    const connectionId = request.connectionId ?? domains.get(domain) ?? null;
    const name = r['name'] ?? r['display_name'];
    const targetsText = r['targets'] ?? r['forward_to'];
    const targets = (targetsText ?? '').split(/[;,\s]+/).map((t) => t.trim().toLowerCase()).filter(Boolean);
    const badTarget = targets.find((t) => !EMAIL.test(t));
    if (badTarget) return fail(`"${badTarget}" is not an e-mail address.`);
    const step = (kind: ImportStepKind, detail: string, ops: ImportOp[] = [], extra: { generatedPassword?: string } = {}): PlannedStep => ({ line, kind, type, address, connectionId, detail, ops, ...extra });

    if (type === 'domain') {
      if (domains.has(address)) return step('unchanged', '');
      if (!connectionId) return fail('Choose the connection new domains go to.');
      return step('create', name ? `description “${name}”` : 'new domain', [{ action: 'domains.create', args: [connectionId, { name: address, ...(name ? { description: name } : {}) }] }]);
    }
    if (!connectionId) return fail(`No connection holds the domain ${domain}.`);
    const current = (boxes.get(address) ?? []).find((m) => m.connectionId === connectionId);

    if (type === 'alias' || type === 'group') {
      if (targets.length === 0) return fail(`An ${type} needs targets (a;b).`);
      const before = (type === 'alias' ? aliases : groups).get(`${connectionId}/${address}`);
      const next = targets.join(',');
      if (before === next) return step('unchanged', '');
      const op: ImportOp = type === 'alias' ? { action: 'aliases.upsert', args: [connectionId, { address, targets }] } : { action: 'groups.upsert', args: [connectionId, { address, members: targets, ...(name ? { name } : {}) }] };
      return step(before === undefined ? 'create' : 'update', before === undefined ? `→ ${next}` : `${before} → ${next}`, [op]);
    }
    const keepCopy = /^(keep|copy|yes|true|1)/i.test(r['keep_copy'] ?? (type === 'forward' ? name ?? '' : ''));
    if (type === 'forward') {
      if (!current) return fail('Forwarding needs an existing mailbox.');
      if (current.forwardTargets.join(',') === targets.join(',') && current.keepCopy === keepCopy) return step('unchanged', '');
      return step('update', targets.length ? `forward → ${targets.join(', ')}${keepCopy ? ' (keep a copy)' : ''}` : 'forwarding off', [{ action: 'mailboxes.setForwarding', args: [connectionId, address, targets, keepCopy] }]);
    }

    let quota: number | null | undefined;
    if (r['quota'] !== undefined && r['quota'] !== '') quota = parseImportSize(r['quota']);
    else if (r['quota_mb'] !== undefined) quota = r['quota_mb'] === '' ? null : Number.isFinite(Number(r['quota_mb'])) && Number(r['quota_mb']) >= 0 ? Math.round(Number(r['quota_mb']) * MB) : Number.NaN;
    if (Number.isNaN(quota)) return fail(`"${r['quota'] ?? r['quota_mb']}" is not a size (quota: 500MB, 2GiB; quota_mb: a number).`);
    const activeText = (r['active'] ?? '').toLowerCase();
    if (activeText && !YES.has(activeText) && !NO.has(activeText)) return fail(`active "${r['active']}" is neither yes nor no.`);
    const active = activeText ? YES.has(activeText) : undefined;
    const forwardChange = targetsText !== undefined && targets.join(',') !== (current?.forwardTargets ?? []).join(',');
    const forwardOp: ImportOp[] = forwardChange ? [{ action: 'mailboxes.setForwarding', args: [connectionId, address, targets, keepCopy] }] : [];

    if (current) {
      const patch: { displayName?: string; quotaBytes?: number | null; active?: boolean } = {};
      const changes: string[] = [];
      if (name !== undefined && name !== (current.displayName ?? '')) {
        patch.displayName = name;
        changes.push(`name “${current.displayName ?? ''}” → “${name}”`);
      }
      if (quota !== undefined && quota !== current.quotaBytes) {
        patch.quotaBytes = quota;
        changes.push(`quota ${sizeText(current.quotaBytes)} → ${sizeText(quota)}`);
      }
      if (active !== undefined && active !== current.active) {
        patch.active = active;
        changes.push(active ? 'unsuspend' : 'suspend');
      }
      if (forwardChange) changes.push(targets.length ? `forward → ${targets.join(', ')}` : 'forwarding off');
      const ops: ImportOp[] = [...(Object.keys(patch).length ? [{ action: 'mailboxes.update', args: [connectionId, address, patch] } satisfies ImportOp] : []), ...forwardOp];
      return ops.length ? step('update', changes.join(', '), ops) : step('unchanged', '');
    }
    const given = r['password'] ?? '';
    if (given !== '' && given.length < 8) return fail('A password needs at least 8 characters (leave it empty to generate one).');
    // Generated passwords are returned once, in the applied report, and kept nowhere else.
    const password = given || randomBytes(15).toString('base64url');
    const create: ImportOp = { action: 'mailboxes.create', args: [connectionId, { address, password, ...(name ? { displayName: name } : {}), ...(quota !== undefined ? { quotaBytes: quota } : {}) }] };
    const suspend: ImportOp[] = active === false ? [{ action: 'mailboxes.update', args: [connectionId, address, { active: false }] }] : [];
    const detail = [`quota ${quota === undefined ? 'default' : sizeText(quota)}`, given ? '' : 'password generated', active === false ? 'suspended' : '', targets.length ? `forward → ${targets.join(', ')}` : ''].filter(Boolean).join(', ');
    return step('create', detail, [create, ...suspend, ...forwardOp], given ? {} : { generatedPassword: password });
  }));
}
