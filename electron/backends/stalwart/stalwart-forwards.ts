import type { ForwardingInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { SieveSyntaxError } from '../sieve/sieve-lexer.ts';
import { forwardingOf, readSieveRedirects, type SieveForwards } from '../sieve/sieve-redirects.ts';
import type { StalwartContext } from './stalwart-context.ts';
import { SIEVE_TYPE, scriptsOf } from './stalwart-forwarding.ts';
import { accounts, toMailbox } from './stalwart-mailboxes.ts';

/**
 * Every account's forwards: the redirects of its active Sieve script (Stalwart runs one per account), read from
 * the script's blob. Without the impersonate permission users' accounts are out of reach: nothing is read, and
 * forward.read says so.
 */
export async function* listForwarding(ctx: StalwartContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>> {
  const admin = await ctx.jmap.account(signal);
  if (!admin.ok) {
    yield admin;
    return;
  }
  if (!admin.value.permissions.has('impersonate')) return;
  for await (const a of accounts(ctx, domain, signal)) {
    if (!a.ok) {
      yield a;
      return;
    }
    const scripts = await scriptsOf(ctx, a.value.id);
    if (!scripts.ok) {
      yield scripts;
      return;
    }
    const active = scripts.value.find((s) => s.isActive);
    if (!active) continue;
    const text = await ctx.jmap.download(a.value.id, active.blobId, `${active.name ?? active.id}.siv`, SIEVE_TYPE);
    if (!text.ok) {
      yield text;
      return;
    }
    const { address } = await toMailbox(ctx, a.value);
    let read: SieveForwards;
    try {
      read = readSieveRedirects(text.value);
    } catch (error) {
      if (!(error instanceof SieveSyntaxError)) throw error;
      yield err('backend.validation', `Stalwart: the active Sieve script "${active.name ?? active.id}" of ${address} could not be read (${error.message}), so its forwards are unknown.`);
      return;
    }
    const forwards = forwardingOf(address, read);
    if (forwards.state !== 'off') yield ok(forwards);
  }
}
