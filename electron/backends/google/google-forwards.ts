import type { gmail_v1 } from '@googleapis/gmail';
import type { ForwardingInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { mayForward } from './google-forwarding.ts';
import { call, gmailAs, type GoogleContext } from './google-context.ts';
import { users } from './google-mailboxes.ts';

/** One user's forwards: auto-forwarding when on, plus every filter whose action forwards. */
export async function readForwards(api: gmail_v1.Gmail, address: string): Promise<Result<ForwardingInfo>> {
  const auto = await call('getAutoForwarding', () => api.users.settings.getAutoForwarding({ userId: 'me' }));
  if (!auto.ok) return auto;
  // filters.list answers every filter at once ({ filter: [...] }); Gmail caps a user at 1,000 filters and has no paging here.
  const filters = await call('filters.list', () => api.users.settings.filters.list({ userId: 'me' }));
  if (!filters.ok) return filters;
  const targets = new Set<string>();
  const autoOn = auto.value.enabled === true && !!auto.value.emailAddress;
  if (autoOn) targets.add(auto.value.emailAddress!.toLowerCase());
  // Auto-forwarding takes all mail; a filter only the mail its criteria match.
  const filtered = new Map<string, string[]>();
  for (const f of filters.value.filter ?? []) {
    if (!f.action?.forward) continue;
    const to = f.action.forward.toLowerCase();
    targets.add(to);
    if (!(autoOn && to === auto.value.emailAddress!.toLowerCase())) filtered.set(to, [...(filtered.get(to) ?? []), criteriaText(f.criteria ?? {})]);
  }
  const conditions = Object.fromEntries([...filtered].map(([to, texts]) => [to, [...new Set(texts)].join(' or ')]));
  // A filter forward leaves the message in the mailbox; only auto-forwarding can archive or trash the original.
  const keepCopy = !autoOn || auto.value.disposition !== 'trash';
  return ok({ address, targets: [...targets], keepCopy, state: targets.size ? 'active' : 'off', ...(filtered.size ? { conditions } : {}) });
}

/** A Gmail filter's criteria in words ("from boss@x.example and subject contains invoice"). */
export function criteriaText(c: gmail_v1.Schema$FilterCriteria): string {
  const parts = [
    c.from ? `from ${c.from}` : '',
    c.to ? `to ${c.to}` : '',
    c.subject ? `subject contains ${c.subject}` : '',
    c.query ? `matches "${c.query}"` : '',
    c.negatedQuery ? `does not match "${c.negatedQuery}"` : '',
    c.hasAttachment ? 'has an attachment' : '',
    c.size ? `size ${c.sizeComparison === 'smaller' ? 'under' : 'over'} ${c.size} bytes` : '',
  ].filter(Boolean);
  return parts.join(' and ') || 'a filter with no criteria Mailroom reads';
}

/**
 * Every active user's Gmail forwards, one user at a time as that user (the Gmail settings API accepts only the
 * mailbox owner). Nothing when the Gmail settings scopes are not delegated: the capability names the fix.
 */
export async function* listForwarding(ctx: GoogleContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>> {
  if (!(await mayForward(ctx))) return;
  for await (const user of users(ctx, domain, signal)) {
    if (!user.ok) {
      yield user;
      return;
    }
    // A suspended user's Gmail answers nothing, and no mail is delivered to it to forward.
    if (user.value.suspended === true || !user.value.primaryEmail) continue;
    signal?.throwIfAborted();
    const forwards = await readForwards(gmailAs(ctx, user.value.primaryEmail), user.value.primaryEmail);
    if (!forwards.ok) {
      yield forwards;
      return;
    }
    if (forwards.value.state !== 'off') yield forwards;
  }
}
