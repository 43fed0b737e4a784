import type { ForwardingInfo, Outcome } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import type { Account, StalwartContext } from './stalwart-context.ts';
import { account } from './stalwart-mailboxes.ts';

interface SieveScript { id: string; name: string; isActive?: boolean; script?: string; principalId?: string }

const SCRIPT = 'mailroom-forward';

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

async function findScript(ctx: StalwartContext, address: string): Promise<Result<{ account: Account; script: SieveScript | null }>> {
  const owner = await account(ctx, address);
  if (!owner.ok) return owner;
  for await (const s of ctx.jmap.list<SieveScript>('SieveUserScript', { principalId: owner.value.id, name: SCRIPT }, 1)) {
    return s.ok ? ok({ account: owner.value, script: s.value }) : s;
  }
  return ok({ account: owner.value, script: null });
}

/** Reads a mailbox's forwarding from its Mailroom Sieve script. */
export async function getForwarding(ctx: StalwartContext, address: string): Promise<Result<ForwardingInfo>> {
  const found = await findScript(ctx, address);
  if (!found.ok) return found;
  const script = found.value.script;
  if (!script?.script || script.isActive === false) return ok({ address, targets: [], keepCopy: false, state: 'off' });
  const parsed = parseForwardingScript(script.script);
  return ok({ address, ...parsed, state: parsed.targets.length ? 'active' : 'off' });
}

/** Writes (or with no targets removes) the mailbox's Mailroom Sieve script. */
export async function setForwarding(ctx: StalwartContext, address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
  const found = await findScript(ctx, address);
  if (!found.ok) return found;
  const existing = found.value.script;
  let res: Result<unknown> = ok(undefined);
  if (targets.length === 0) {
    if (existing) res = await ctx.jmap.set('SieveUserScript', { destroy: [existing.id] });
  } else {
    const script = forwardingScript(targets, keepCopy);
    res = existing
      ? await ctx.jmap.set('SieveUserScript', { update: { [existing.id]: { script, isActive: true } } })
      : await ctx.jmap.set('SieveUserScript', { create: { s: { principalId: found.value.account.id, name: SCRIPT, isActive: true, script } } });
  }
  if (!res.ok) return res;
  return ok({ state: 'done', value: { address, targets: [...targets], keepCopy: targets.length ? keepCopy : false, state: targets.length ? 'active' : 'off' } });
}
