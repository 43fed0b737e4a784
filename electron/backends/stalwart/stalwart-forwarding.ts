import type { ForwardingInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { SIEVE_USING } from './jmap-client.ts';
import type { StalwartContext } from './stalwart-context.ts';
import { account } from './stalwart-mailboxes.ts';

/** A JMAP for Sieve script (RFC 9661 §2): its content is a blob. */
export interface SieveScript { id: string; name: string | null; blobId: string; isActive: boolean }

const SCRIPT = 'mailroom-forward';
/** The media type of a Sieve script blob. */
export const SIEVE_TYPE = 'application/sieve';

function sieveString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A Sieve script that redirects to `targets`, keeping a copy with `:copy` (RFC 3894). */
export function forwardingScript(targets: readonly string[], keepCopy: boolean): string {
  const lines = targets.map((t) => `redirect${keepCopy ? ' :copy' : ''} ${sieveString(t)};`);
  return `${keepCopy ? 'require ["copy"];\n' : ''}${lines.join('\n')}\n`;
}

function parseForwardingScript(script: string): { targets: string[]; keepCopy: boolean } {
  const targets = [...script.matchAll(/redirect(\s+:copy)?\s+"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[2] ?? '').replace(/\\(.)/g, '$1'));
  return { targets, keepCopy: /redirect\s+:copy/.test(script) };
}

/** The Sieve scripts of one account. Per-user scripts live in the user's own JMAP account; the admin reaches it with the impersonate permission. */
export async function scriptsOf(ctx: StalwartContext, accountId: string): Promise<Result<SieveScript[]>> {
  const res = await ctx.jmap.call([['SieveScript/get', { ids: null }, 'g']], { accountId, using: SIEVE_USING });
  if (!res.ok) return res;
  return ok((res.value.get('g')?.['list'] ?? []) as SieveScript[]);
}

/** Reads a mailbox's forwarding from its active Mailroom Sieve script. */
export async function getForwarding(ctx: StalwartContext, address: string): Promise<Result<ForwardingInfo>> {
  const owner = await account(ctx, address);
  if (!owner.ok) return owner;
  const scripts = await scriptsOf(ctx, owner.value.id);
  if (!scripts.ok) return scripts;
  const mine = scripts.value.find((s) => s.name === SCRIPT);
  if (!mine || !mine.isActive) return ok({ address, targets: [], keepCopy: false, state: 'off' });
  const text = await ctx.jmap.download(owner.value.id, mine.blobId, `${SCRIPT}.siv`, SIEVE_TYPE);
  if (!text.ok) return text;
  const parsed = parseForwardingScript(text.value);
  return ok({ address, ...parsed, state: parsed.targets.length ? 'active' : 'off' });
}

/**
 * Writes and activates (or with no targets deactivates and removes) the mailbox's Mailroom Sieve script.
 * Stalwart runs one active script per account, so a user's own active script is never replaced.
 */
export async function setForwarding(ctx: StalwartContext, address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
  const owner = await account(ctx, address);
  if (!owner.ok) return owner;
  const accountId = owner.value.id;
  const scripts = await scriptsOf(ctx, accountId);
  if (!scripts.ok) return scripts;
  const mine = scripts.value.find((s) => s.name === SCRIPT);
  const sieve = { accountId, using: SIEVE_USING, method: 'SieveScript/set' };
  if (targets.length === 0) {
    if (mine) {
      // An active script cannot be destroyed (scriptIsActive): deactivate it first.
      if (mine.isActive) {
        const off = await ctx.jmap.set('SieveScript', { onSuccessDeactivateScript: true }, sieve);
        if (!off.ok) return off;
      }
      const gone = await ctx.jmap.set('SieveScript', { destroy: [mine.id] }, sieve);
      if (!gone.ok) return gone;
    }
    return ok({ state: 'done', value: { address, targets: [], keepCopy: false, state: 'off' } });
  }
  const other = scripts.value.find((s) => s.isActive && s.name !== SCRIPT);
  if (other) {
    return err('backend.conflict', `Stalwart: ${address} has its own active Sieve script "${other.name ?? other.id}"; Stalwart runs one script per account, so add the redirect there or deactivate it first.`);
  }
  const blobId = await ctx.jmap.upload(accountId, forwardingScript(targets, keepCopy), SIEVE_TYPE);
  if (!blobId.ok) return blobId;
  const res = mine
    ? await ctx.jmap.set('SieveScript', { update: { [mine.id]: { blobId: blobId.value } }, onSuccessActivateScript: mine.id }, sieve)
    : await ctx.jmap.set('SieveScript', { create: { s: { name: SCRIPT, blobId: blobId.value } }, onSuccessActivateScript: '#s' }, sieve);
  if (!res.ok) return res;
  return ok({ state: 'done', value: { address, targets: [...targets], keepCopy, state: 'active' } });
}
