import { randomBytes } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import type { InventoryRepo } from '../db/inventory-repo.ts';
import type { PlannedWrite } from '../backends/adapter.ts';
import type { CachedMailbox } from '../../shared/domain/inventory.ts';
import type { ImportRequest, ImportRowType, ImportStep, ImportStepKind } from '../../shared/domain/import.ts';
import type { Area, Args } from '../../shared/ipc/contract.ts';
import { parseArgs } from '../../shared/ipc/schemas.ts';
import { splitAddress } from '../../shared/lib/mail-address.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import { toAsciiDomain } from '../platform/idn.ts';
import { addressCell, column, quotaCell, quoted, targetsCell, textCell, yesNoCell, type Cell } from './import-cells.ts';

/** One console operation an import step applies, named by its channel (also its journal action). */
export type ImportOp =
  | { readonly action: 'domains.create'; readonly args: Args<'domains', 'create'> }
  | { readonly action: 'mailboxes.create'; readonly args: Args<'mailboxes', 'create'> }
  | { readonly action: 'mailboxes.update'; readonly args: Args<'mailboxes', 'update'> }
  | { readonly action: 'mailboxes.setForwarding'; readonly args: Args<'mailboxes', 'setForwarding'> }
  | { readonly action: 'aliases.upsert'; readonly args: Args<'aliases', 'upsert'> }
  | { readonly action: 'groups.upsert'; readonly args: Args<'groups', 'upsert'> };

/** One CSV line with the operations that apply it, already validated as the router validates them. */
export interface PlannedStep extends ImportStep {
  readonly ops: readonly ImportOp[];
  /** What the platform's own limits are asked about before anything is written. */
  readonly writes: readonly PlannedWrite[];
  readonly generatedPassword?: string;
}

const TYPES = new Set<ImportRowType>(['domain', 'mailbox', 'alias', 'group', 'forward']);
/** Longest address echoed back in a report line. */
const SHOWN = 320;

/** Bytes as the diff shows them (null = unlimited). */
export const sizeText = (n: number | null | undefined): string => (n === null || n === undefined ? 'unlimited' : n >= 1e9 ? `${+(n / 1e9).toFixed(2)} GB` : `${+(n / 1e6).toFixed(1)} MB`);

// Every operation goes through the router's own validator here, so a dry run refuses what the apply would.
function checked(ops: readonly ImportOp[]): Result<ImportOp[]> {
  const out: ImportOp[] = [];
  for (const op of ops) {
    const [area, method] = op.action.split('.') as [Area, string];
    const parsed = parseArgs(area, method as never, op.args, { toAscii: toAsciiDomain });
    if (!parsed.ok) return parsed;
    out.push({ action: op.action, args: parsed.value } as ImportOp);
  }
  return ok(out);
}

/** What the cache knows, plus what earlier lines of the same file will have made. */
class Known {
  /** `connection/domain` of every domain, and the first connection holding each name. */
  readonly domainKeys = new Set<string>();
  readonly domainHome = new Map<string, string>();
  readonly mailboxes = new Map<string, CachedMailbox>();
  readonly aliases = new Map<string, string>();
  readonly groups = new Map<string, string>();
  /** Address (or `domain:name`) → the line that first named it. */
  readonly lines = new Map<string, number>();

  constructor(inventory: InventoryRepo, request: ImportRequest, addresses: readonly string[]) {
    const scope = request.connectionId ? { connectionId: request.connectionId } : {};
    for (const d of inventory.listDomains(scope)) this.addDomain(d.connectionId, d.name);
    for (const m of inventory.mailboxesByAddress(addresses)) this.mailboxes.set(`${m.connectionId}/${m.address}`, m);
    for (const a of inventory.listAliases(scope)) this.aliases.set(`${a.connectionId}/${a.address}`, a.targets.join(','));
    for (const g of inventory.listGroups(scope)) this.groups.set(`${g.connectionId}/${g.address}`, g.members.join(','));
  }

  addDomain(connectionId: string, name: string): void {
    this.domainKeys.add(`${connectionId}/${name}`);
    if (!this.domainHome.has(name)) this.domainHome.set(name, connectionId);
  }
}

/** Plans a CSV against the cache: one step per line, each with the validated operations that apply it. */
export function planImport(inventory: InventoryRepo, request: ImportRequest): Result<PlannedStep[]> {
  let records: Record<string, string>[];
  try {
    records = parseCsv(request.csv, { columns: (h: string[]) => h.map((c) => String(c).trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }) as Record<string, string>[];
  } catch (error) {
    return err('input.invalid', `The CSV cannot be read: ${(error as Error).message.slice(0, 300)}`);
  }
  if (records.length > 0 && !('address' in records[0]!)) return err('input.invalid', 'The first line must name the columns and include "address".');
  const known = new Known(inventory, request, [...new Set(records.map((r) => String(r['address'] ?? '').trim().toLowerCase()).filter((a) => a.length <= SHOWN))]);
  return ok(records.map((r, i) => planRow(r, i + 2, request, known)));
}

function planRow(r: Record<string, string>, line: number, request: ImportRequest, known: Known): PlannedStep {
  const typeText = String(r['type'] || 'mailbox').toLowerCase();
  const type: ImportRowType = TYPES.has(typeText as ImportRowType) ? (typeText as ImportRowType) : 'mailbox';
  const raw = String(r['address'] ?? '');
  const shown = raw.trim().toLowerCase();
  const base = { line, type, address: shown.length > SHOWN ? `${shown.slice(0, SHOWN)}…` : shown };
  const fail = (detail: string, connectionId: string | null = null): PlannedStep => ({ ...base, kind: 'error', connectionId, detail, ops: [], writes: [] });
  if (!TYPES.has(typeText as ImportRowType)) return fail(`Unknown type ${quoted(String(r['type']))}: domain, mailbox, alias, group or forward.`);
  const parsedAddress = addressCell(raw, type);
  if (parsedAddress.kind !== 'set') return fail(parsedAddress.kind === 'bad' ? parsedAddress.message : 'The address is empty.');
  const address = parsedAddress.value;
  const key = type === 'domain' ? `domain:${address}` : address;
  const first = known.lines.get(key);
  if (first !== undefined) return fail(`Line ${line} repeats ${address} from line ${first}: one line per ${type === 'domain' ? 'domain' : 'address'}.`);
  known.lines.set(key, line);

  const step = (kind: ImportStepKind, connectionId: string | null, detail: string, ops: ImportOp[] = [], writes: PlannedWrite[] = [], extra: { generatedPassword?: string } = {}): PlannedStep => {
    const valid = checked(ops);
    if (!valid.ok) return fail(valid.error.message, connectionId);
    return { ...base, address, kind, connectionId, detail, ops: valid.value, writes, ...extra };
  };
  const name = textCell(column(r, 'name', 'display_name'));

  if (type === 'domain') {
    const connectionId = request.connectionId ?? known.domainHome.get(address) ?? null;
    if (connectionId && known.domainKeys.has(`${connectionId}/${address}`)) return step('unchanged', connectionId, '');
    if (!connectionId) return fail('Choose the connection new domains go to.');
    const description = name.kind === 'set' && name.value !== '' ? name.value : undefined;
    const planned = step('create', connectionId, description ? `description “${description}”` : 'new domain', [{ action: 'domains.create', args: [connectionId, { name: address, ...(description ? { description } : {}) }] }], [{ kind: 'domain.create', name: address }]);
    if (planned.kind === 'create') known.addDomain(connectionId, address);
    return planned;
  }

  const { domain } = splitAddress(address);
  const connectionId = request.connectionId ?? known.domainHome.get(domain) ?? null;
  if (!connectionId) return fail(`No connection holds the domain ${domain}.`);
  if (!known.domainKeys.has(`${connectionId}/${domain}`)) return fail(`No domain ${domain} on this connection: create it first (a domain line before this one).`, connectionId);
  const targets = targetsCell(column(r, 'targets', 'forward_to'));
  if (targets.kind === 'bad') return fail(targets.message, connectionId);
  const current = known.mailboxes.get(`${connectionId}/${address}`);

  if (type === 'alias' || type === 'group') {
    if (targets.kind !== 'set' || targets.value.length === 0) return fail(`An ${type} needs targets (a;b); to remove one, delete it in the console or with \`mailroom ${type === 'alias' ? 'aliases' : 'groups'} delete\`.`, connectionId);
    if (current) return fail(`${address} is a mailbox; change its forwarding instead.`, connectionId);
    const before = (type === 'alias' ? known.aliases : known.groups).get(`${connectionId}/${address}`);
    const next = targets.value.join(',');
    if (before === next) return step('unchanged', connectionId, '');
    const groupName = name.kind === 'set' && name.value !== '' ? { name: name.value } : {};
    const op: ImportOp = type === 'alias' ? { action: 'aliases.upsert', args: [connectionId, { address, targets: targets.value }] } : { action: 'groups.upsert', args: [connectionId, { address, members: targets.value, ...groupName }] };
    return step(before === undefined ? 'create' : 'update', connectionId, before === undefined ? `→ ${next}` : `${before} → ${next}`, [op], before === undefined ? [{ kind: 'alias.create', address }] : []);
  }

  const keepCopy = yesNoCell(column(r, 'keep_copy') ?? (type === 'forward' ? keepWord(column(r, 'name')) : undefined), 'keep_copy');
  if (keepCopy.kind === 'bad') return fail(keepCopy.message, connectionId);
  if (type === 'forward') {
    if (!current) return fail('Forwarding needs an existing mailbox.', connectionId);
    const change = forwardChange(address, connectionId, current, targets, keepCopy);
    return change ? step('update', connectionId, change.text, [change.op]) : step('unchanged', connectionId, '');
  }
  const quota = quotaCell(column(r, 'quota') || undefined, column(r, 'quota_mb'));
  if (quota.kind === 'bad') return fail(quota.message, connectionId);
  const active = yesNoCell(column(r, 'active'), 'active');
  if (active.kind === 'bad') return fail(active.message, connectionId);
  if (current) return updateStep(step, connectionId, address, current, { name, quota, active, targets, keepCopy });
  if (known.aliases.has(`${connectionId}/${address}`) || known.groups.has(`${connectionId}/${address}`)) return fail(`${address} already exists as an alias.`, connectionId);
  const password = column(r, 'password') ?? '';
  if (password !== '' && password.length < 8) return fail('A password needs at least 8 characters (leave it empty to generate one).', connectionId);
  return createStep(step, connectionId, address, { name, quota, active, targets, keepCopy, password });
}

// A forward line's second column says "keep" (or "copy") to keep a copy; blank keeps the current setting.
function keepWord(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  return /^(keep|copy)/i.test(value) ? 'yes' : value;
}

type Step = (kind: ImportStepKind, connectionId: string | null, detail: string, ops?: ImportOp[], writes?: PlannedWrite[], extra?: { generatedPassword?: string }) => PlannedStep;

interface MailboxCells {
  readonly name: Cell<string>;
  readonly quota: Cell<number | null>;
  readonly active: Cell<boolean>;
  readonly targets: Cell<string[]>;
  readonly keepCopy: Cell<boolean>;
}

function forwardChange(address: string, connectionId: string, current: CachedMailbox | undefined, targets: Cell<string[]>, keepCopy: Cell<boolean>): { op: ImportOp; text: string } | null {
  const before = current?.forwardTargets ?? [];
  const next = targets.kind === 'set' ? targets.value : before;
  const keep = keepCopy.kind === 'set' ? keepCopy.value : (current?.keepCopy ?? false);
  if (next.join(',') === before.join(',') && (next.length === 0 || keep === (current?.keepCopy ?? false))) return null;
  return { op: { action: 'mailboxes.setForwarding', args: [connectionId, address, next, keep] }, text: next.length ? `forward → ${next.join(', ')}${keep ? ' (keep a copy)' : ''}` : 'forwarding off' };
}

function updateStep(step: Step, connectionId: string, address: string, current: CachedMailbox, cells: MailboxCells): PlannedStep {
  const patch: { displayName?: string; quotaBytes?: number | null; active?: boolean } = {};
  const changes: string[] = [];
  if (cells.name.kind === 'set' && cells.name.value !== (current.displayName ?? '')) {
    patch.displayName = cells.name.value;
    changes.push(cells.name.value === '' ? `name “${current.displayName ?? ''}” cleared` : `name “${current.displayName ?? ''}” → “${cells.name.value}”`);
  }
  if (cells.quota.kind === 'set' && cells.quota.value !== current.quotaBytes) {
    patch.quotaBytes = cells.quota.value;
    changes.push(`quota ${sizeText(current.quotaBytes)} → ${sizeText(cells.quota.value)}`);
  }
  if (cells.active.kind === 'set' && cells.active.value !== current.active) {
    patch.active = cells.active.value;
    changes.push(cells.active.value ? 'unsuspend' : 'suspend');
  }
  const forward = forwardChange(address, connectionId, current, cells.targets, cells.keepCopy);
  if (forward) changes.push(forward.text);
  const update: ImportOp[] = Object.keys(patch).length ? [{ action: 'mailboxes.update', args: [connectionId, address, patch] }] : [];
  const ops = [...update, ...(forward ? [forward.op] : [])];
  if (ops.length === 0) return step('unchanged', connectionId, '');
  return step('update', connectionId, changes.join(', '), ops, patch.quotaBytes !== undefined ? [{ kind: 'mailbox.update', address, quotaBytes: patch.quotaBytes }] : []);
}

function createStep(step: Step, connectionId: string, address: string, cells: MailboxCells & { password: string }): PlannedStep {
  // Generated passwords are returned once, in the applied report, and kept nowhere else.
  const password = cells.password || randomBytes(15).toString('base64url');
  const displayName = cells.name.kind === 'set' && cells.name.value !== '' ? { displayName: cells.name.value } : {};
  const quota = cells.quota.kind === 'set' ? { quotaBytes: cells.quota.value } : {};
  const create: ImportOp = { action: 'mailboxes.create', args: [connectionId, { address, password, ...displayName, ...quota }] };
  const suspend: ImportOp[] = cells.active.kind === 'set' && !cells.active.value ? [{ action: 'mailboxes.update', args: [connectionId, address, { active: false }] }] : [];
  const forward = forwardChange(address, connectionId, undefined, cells.targets, cells.keepCopy);
  const detail = [`quota ${cells.quota.kind === 'set' ? sizeText(cells.quota.value) : 'default'}`, cells.password ? '' : 'password generated', suspend.length ? 'suspended' : '', forward?.text ?? ''].filter(Boolean).join(', ');
  return step('create', connectionId, detail, [create, ...suspend, ...(forward ? [forward.op] : [])], [{ kind: 'mailbox.create', address, ...quota }], cells.password ? {} : { generatedPassword: password });
}
