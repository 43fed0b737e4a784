import type { ForwardingInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { SieveSyntaxError } from '../sieve/sieve-lexer.ts';
import { forwardingOf, readSieveRedirects, type SieveRedirect } from '../sieve/sieve-redirects.ts';
import { arrayOf, num, type MailcowContext } from './mailcow-context.ts';

/** What forward.read covers on mailcow (the capability's `how`). */
export const FORWARD_READ_HOW =
  "Sieve redirects in each mailbox's active filters (get/filters/all: pre- and postfilters) and in the user's active Sieve script (get/active-user-sieve, where SOGo writes its forwarding); aliases to other domains show as aliases";

interface Found { redirects: SieveRedirect[]; keeps: boolean }

function read(found: Map<string, Found>, username: string, script: string, where: string): Result<void> {
  try {
    const r = readSieveRedirects(script);
    const entry = found.get(username) ?? { redirects: [], keeps: false };
    entry.redirects.push(...r.redirects);
    entry.keeps ||= r.keeps;
    found.set(username, entry);
    return ok(undefined);
  } catch (error) {
    if (!(error instanceof SieveSyntaxError)) throw error;
    return err('backend.validation', `mailcow: ${where} of ${username} could not be read (${error.message}), so its forwards are unknown.`);
  }
}

/**
 * Every mailbox's Sieve forwards: its active pre/postfilters (one call for all) and its active user script (one
 * call per mailbox). The hidden self-alias mailcow keeps per mailbox is not in the API, as forward.set says.
 */
export async function* listForwarding(ctx: MailcowContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>> {
  const inDomain = (address: string): boolean => domain === null || address.toLowerCase().endsWith(`@${domain.toLowerCase()}`);
  const found = new Map<string, Found>();
  const filters = await ctx.http.json<unknown>({ path: 'get/filters/all', signal });
  if (!filters.ok) {
    yield filters;
    return;
  }
  for (const f of arrayOf(filters.value.body)) {
    const username = String(f['username'] ?? '').toLowerCase();
    if (num(f['active']) !== 1 || !inDomain(username) || typeof f['script_data'] !== 'string') continue;
    const done = read(found, username, f['script_data'], `the ${String(f['filter_type'] ?? '')} "${String(f['script_desc'] ?? f['id'])}"`);
    if (!done.ok) {
      yield done;
      return;
    }
  }
  const boxes = await ctx.http.json<unknown>({ path: domain === null ? 'get/mailbox/all' : `get/mailbox/all/${encodeURIComponent(domain)}`, signal });
  if (!boxes.ok) {
    yield boxes;
    return;
  }
  for (const box of arrayOf(boxes.value.body)) {
    const username = String(box['username'] ?? '').toLowerCase();
    if (!username) continue;
    const active = await ctx.http.json<unknown>({ path: `get/active-user-sieve/${encodeURIComponent(username)}`, signal });
    if (!active.ok) {
      yield active;
      return;
    }
    // json_api.php answers [script] when an active script exists, else {}.
    for (const script of Array.isArray(active.value.body) ? active.value.body : []) {
      if (typeof script !== 'string') continue;
      const done = read(found, username, script, 'the active Sieve script');
      if (!done.ok) {
        yield done;
        return;
      }
    }
  }
  for (const [address, f] of found) {
    const forwards = forwardingOf(address, f);
    if (forwards.state !== 'off') yield ok(forwards);
  }
}
