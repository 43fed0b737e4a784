import type { ForwardingInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { pages, type MicrosoftContext } from './microsoft-context.ts';
import { users } from './microsoft-mailboxes.ts';

type Recipients = readonly { emailAddress?: { address?: string } }[] | null | undefined;

/** messageRulePredicates as Graph defines them, the fields Mailroom puts in words. */
export interface GraphRulePredicates {
  readonly fromAddresses?: Recipients;
  readonly sentToAddresses?: Recipients;
  readonly senderContains?: readonly string[] | null;
  readonly recipientContains?: readonly string[] | null;
  readonly subjectContains?: readonly string[] | null;
  readonly bodyContains?: readonly string[] | null;
  readonly bodyOrSubjectContains?: readonly string[] | null;
  readonly headerContains?: readonly string[] | null;
  readonly hasAttachments?: boolean | null;
  readonly importance?: string | null;
  readonly [other: string]: unknown;
}

/** An inbox rule as Graph returns it (messageRule), with only the actions that matter for routing. */
export interface GraphMessageRule {
  readonly id: string;
  readonly displayName?: string;
  readonly isEnabled?: boolean;
  readonly hasError?: boolean;
  readonly conditions?: GraphRulePredicates | null;
  readonly exceptions?: GraphRulePredicates | null;
  readonly actions?: {
    readonly forwardTo?: Recipients;
    readonly redirectTo?: Recipients;
    readonly forwardAsAttachmentTo?: Recipients;
    readonly delete?: boolean;
    readonly permanentDelete?: boolean;
  } | null;
}

/** The forwards of one mailbox's inbox rules: every enabled rule's forwardTo, redirectTo and forwardAsAttachmentTo. */
export function forwardsOfRules(address: string, rules: readonly GraphMessageRule[]): ForwardingInfo {
  const targets = new Set<string>();
  // Per target: the conditions of the rules that forward there; null once a rule forwards all mail.
  const when = new Map<string, string[] | null>();
  let keepCopy = true;
  for (const rule of rules) {
    // A rule in error does not run; Exchange marks it hasError and skips it.
    if (rule.isEnabled === false || rule.hasError === true || !rule.actions) continue;
    const a = rule.actions;
    const before = targets.size;
    const condition = ruleCondition(rule);
    for (const r of [...(a.forwardTo ?? []), ...(a.redirectTo ?? []), ...(a.forwardAsAttachmentTo ?? [])]) {
      const to = r.emailAddress?.address?.trim().toLowerCase();
      if (!to) continue;
      targets.add(to);
      const known = when.has(to) ? when.get(to)! : [];
      when.set(to, condition === null || known === null ? null : [...known, condition]);
    }
    if (targets.size > before && (a.delete === true || a.permanentDelete === true)) keepCopy = false;
  }
  const conditions = Object.fromEntries([...when].filter((e): e is [string, string[]] => e[1] !== null).map(([to, texts]) => [to, [...new Set(texts)].join(' or ')]));
  return { address, targets: [...targets], keepCopy, state: targets.size ? 'active' : 'off', ...(Object.keys(conditions).length ? { conditions } : {}) };
}

const addresses = (r: Recipients): string => (r ?? []).map((x) => x.emailAddress?.address ?? '').filter(Boolean).join(' or ');
const anyOf = (list: readonly string[] | null | undefined): string => (list ?? []).map((s) => (/\s/.test(s) ? JSON.stringify(s) : s)).join(' or ');

/** The predicates of a rule in words; '' when there are none (the rule takes all mail). */
function predicatesText(p: GraphRulePredicates | null | undefined): string {
  if (!p) return '';
  const known = [
    p.fromAddresses?.length ? `from ${addresses(p.fromAddresses)}` : '',
    p.sentToAddresses?.length ? `to ${addresses(p.sentToAddresses)}` : '',
    p.senderContains?.length ? `sender contains ${anyOf(p.senderContains)}` : '',
    p.recipientContains?.length ? `recipient contains ${anyOf(p.recipientContains)}` : '',
    p.subjectContains?.length ? `subject contains ${anyOf(p.subjectContains)}` : '',
    p.bodyContains?.length ? `body contains ${anyOf(p.bodyContains)}` : '',
    p.bodyOrSubjectContains?.length ? `subject or body contains ${anyOf(p.bodyOrSubjectContains)}` : '',
    p.headerContains?.length ? `headers contain ${anyOf(p.headerContains)}` : '',
    p.hasAttachments === true ? 'has an attachment' : '',
    p.importance ? `importance ${p.importance}` : '',
  ].filter(Boolean);
  const KNOWN = new Set(['fromAddresses', 'sentToAddresses', 'senderContains', 'recipientContains', 'subjectContains', 'bodyContains', 'bodyOrSubjectContains', 'headerContains', 'hasAttachments', 'importance']);
  // Predicates Mailroom has no words for are still named, so a condition is never shown as "all mail".
  const other = Object.entries(p).filter(([k, v]) => !KNOWN.has(k) && v !== null && v !== false && !(Array.isArray(v) && v.length === 0)).map(([k]) => k);
  return [...known, ...other.map((k) => `${k} (see the rule)`)].join(' and ');
}

/** A rule's conditions and exceptions in words; null when it forwards all mail. */
export function ruleCondition(rule: GraphMessageRule): string | null {
  const when = predicatesText(rule.conditions);
  const unless = predicatesText(rule.exceptions);
  if (!when && !unless) return null;
  return [when, unless ? `unless ${unless}` : ''].filter(Boolean).join(' ');
}

/**
 * Every mailbox's inbox-rule forwards (Graph mailFolders/inbox/messageRules, following @odata.nextLink).
 * Mailbox-level forwarding (ForwardingSmtpAddress) is not in Graph: forward.read is needs-sidecar with the cmdlet.
 */
export async function* listForwarding(ctx: MicrosoftContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>> {
  for await (const u of users(ctx, domain, signal)) {
    if (!u.ok) {
      yield u;
      return;
    }
    // A user without `mail` has no Exchange mailbox, so no rules to read.
    if (!u.value.mail) continue;
    const address = u.value.mail.toLowerCase();
    const rules: GraphMessageRule[] = [];
    for await (const rule of pages<GraphMessageRule>(ctx, 'messageRules.list', (g) => g.api(`/users/${encodeURIComponent(u.value.id)}/mailFolders/inbox/messageRules`).options(signal ? { signal } : {}).get(), signal)) {
      if (!rule.ok) {
        yield rule;
        return;
      }
      rules.push(rule.value);
    }
    const forwards = forwardsOfRules(address, rules);
    if (forwards.state !== 'off') yield ok(forwards);
  }
}
