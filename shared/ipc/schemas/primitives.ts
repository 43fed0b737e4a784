import { z } from 'zod';
import { normalizeHost } from '../../lib/validate.ts';
import { addressProblem, normalizeAddress, normalizeDomain, UNICODE_DOMAIN, unicodeDomainOf } from '../../lib/mail-address.ts';

/** A connection, plan or batch id. */
export const id = z.string().min(1).max(100);

/** The display name of a connection. */
export const connectionName = z.string().trim().min(1).max(80);

/** A host name or IP literal, normalised. */
export const host = z
  .string()
  .max(253)
  .transform((s, ctx) => {
    const normal = normalizeHost(s);
    if (normal === null) ctx.addIssue({ code: 'custom', message: 'not a valid host name or IP address' });
    return normal ?? s;
  });

/** A SHA-256 certificate fingerprint, normalised to colon-separated upper-case pairs. */
export const fingerprint = z
  .string()
  .trim()
  .regex(/^([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/, 'a SHA-256 fingerprint: 64 hex digits, colons optional')
  .transform((s) => s.replace(/:/g, '').toUpperCase().match(/../g)!.join(':'));

// The issue carries the Unicode domain so that the Node side, which has IDNA, can suggest the xn-- form.
function refuse(ctx: z.RefinementCtx<string>, input: string, kind: 'mailbox' | 'alias' | 'domain', fallback: string): void {
  const problem = addressProblem(input, kind);
  const unicode = problem === UNICODE_DOMAIN ? unicodeDomainOf(input) : null;
  ctx.addIssue({ code: 'custom', message: problem ?? fallback, ...(unicode ? { params: { unicodeDomain: unicode, input: input.trim() } } : {}) });
}

/** A mailbox or alias address, normalised to lower case. */
export const address = z.string().max(320).transform((s, ctx) => {
  const n = normalizeAddress(s);
  if (n === null) refuse(ctx, s, 'mailbox', 'not an email address');
  return n ?? s;
});

/** An alias address; `@domain` and `*@domain` name the catch-all. */
export const aliasAddress = z.string().max(320).transform((s, ctx) => {
  const n = normalizeAddress(s, { allowCatchAll: true });
  if (n === null) refuse(ctx, s, 'alias', 'not an alias address (user@domain, or @domain for the catch-all)');
  return n ?? s;
});

/** A domain name, normalised. */
export const domainName = z.string().max(253).transform((s, ctx) => {
  const n = normalizeDomain(s);
  if (n === null) refuse(ctx, s, 'domain', 'not a domain name');
  return n ?? s;
});

/** A size in bytes; null means unlimited. */
export const bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable();

/** A mailbox password as typed. */
export const password = z.string().min(1).max(4096);

/** An API key, client secret or service-account key. */
export const secret = z.string().min(1).max(65_536);

// shared/ has no URL global (no DOM, no Node types): a scheme-and-host check; the adapter parses it fully.
/** An http(s) URL. */
export const httpUrl = z.string().max(2048).regex(/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i, 'an http(s) URL');

/** The mailbox sort and filter fields shared by listings and the keyset page. */
export const mailboxFilters = {
  sort: z.enum(['address', 'domain', 'used', 'quota', 'usage']).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  status: z.enum(['active', 'suspended']).optional(),
  nearQuota: z.boolean().optional(),
};

/** Filters of cache listings (domains, mailboxes, aliases, groups). */
export const inventoryQuery = z.object({
  ...mailboxFilters,
  connectionId: id.optional(),
  domain: z.string().max(253).optional(),
  text: z.string().max(320).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  offset: z.number().int().min(0).optional(),
});
