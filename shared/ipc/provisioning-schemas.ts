import { z } from 'zod';
import { normalizeAddress, normalizeDomain } from '../lib/mail-address.ts';

const id = z.string().min(1).max(100);

/** A mailbox or alias address, normalised to lower case. */
export const address = z.string().max(320).transform((s, ctx) => {
  const n = normalizeAddress(s);
  if (n === null) ctx.addIssue({ code: 'custom', message: 'not an email address' });
  return n ?? s;
});

/** An alias address; `@domain` and `*@domain` name the catch-all. */
export const aliasAddress = z.string().max(320).transform((s, ctx) => {
  const n = normalizeAddress(s, { allowCatchAll: true });
  if (n === null) ctx.addIssue({ code: 'custom', message: 'not an alias address (user@domain, or @domain for the catch-all)' });
  return n ?? s;
});

/** A domain name, normalised. */
export const domainName = z.string().max(253).transform((s, ctx) => {
  const n = normalizeDomain(s);
  if (n === null) ctx.addIssue({ code: 'custom', message: 'not a domain name' });
  return n ?? s;
});

const bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable();

const mailboxFilters = {
  sort: z.enum(['address', 'domain', 'used', 'quota', 'usage']).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  status: z.enum(['active', 'suspended']).optional(),
  nearQuota: z.boolean().optional(),
};

/** Filters of cache listings. */
export const inventoryQuery = z.object({
  ...mailboxFilters,
  connectionId: id.optional(),
  domain: z.string().max(253).optional(),
  text: z.string().max(320).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  offset: z.number().int().min(0).optional(),
});

/** Input of mailboxes.page. */
export const mailboxPageQuery = z.object({
  ...mailboxFilters,
  connectionId: z.string().min(1).max(100).optional(),
  domain: z.string().max(253).optional(),
  text: z.string().max(320).optional(),
  afterKey: z.string().max(1024).optional(),
  offset: z.number().int().min(0).max(10_000_000).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

/** Input of mailboxes.invite. */
export const inviteInput = z.object({ connectionId: z.string().min(1).max(100), address, sendTo: address });

/** Input of mailboxes.import. */
export const importRequest = z.object({ csv: z.string().min(1).max(20_000_000), connectionId: id.optional(), dryRun: z.boolean() });

/** Input of connections.addPostfixAdmin. */
export const newPostfixAdminConnection = z
  .object({
    name: z.string().trim().min(1).max(80),
    dialect: z.enum(['mysql', 'postgres', 'sqlite']),
    host: z.string().min(1).max(253).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).max(64).optional(),
    user: z.string().min(1).max(128).optional(),
    password: z.string().max(4096).optional(),
    path: z.string().min(1).max(4096).optional(),
    encrypt: z.string().trim().min(1).max(100).optional(),
    site: z
      .partialRecord(
        z.enum(['encrypt', 'quota_multiplier', 'quota', 'domain_quota', 'password_expiration', 'aliases', 'mailboxes', 'maxquota', 'domain_quota_default', 'transport_default']),
        z.union([z.string().max(200), z.number().int(), z.boolean()]),
      )
      .optional(),
    passwordScheme: z.enum(['BLF-CRYPT', 'SHA512-CRYPT', 'ARGON2ID']).optional(),
    quotaMultiplier: z.number().int().min(1).max(1 << 30).optional(),
  })
  .refine((c) => (c.dialect === 'sqlite' ? c.path !== undefined : c.host !== undefined && c.database !== undefined && c.user !== undefined), {
    message: 'SQLite needs path; MySQL and PostgreSQL need host, database and user',
  });

/** Input of domains.create. */
export const newDomain = z.object({
  name: domainName,
  description: z.string().max(255).optional(),
  aliasOf: domainName.optional(),
  quotaBytes: bytes.optional(),
  maxMailboxBytes: bytes.optional(),
});

/** Input of domains.update. */
export const domainPatch = z.object({
  description: z.string().max(255).optional(),
  active: z.boolean().optional(),
  quotaBytes: bytes.optional(),
  maxMailboxBytes: bytes.optional(),
});

/** Input of mailboxes.create. */
export const newMailbox = z.object({
  address,
  displayName: z.string().max(255).optional(),
  password: z.string().min(1).max(4096),
  quotaBytes: bytes.optional(),
  forceChangeAtFirstLogin: z.boolean().optional(),
});

/** Input of mailboxes.update. */
export const mailboxPatch = z.object({
  displayName: z.string().max(255).optional(),
  quotaBytes: bytes.optional(),
  active: z.boolean().optional(),
});

/** Input of aliases.upsert. */
export const aliasInput = z.object({ address: aliasAddress, targets: z.array(address).min(1).max(1000), active: z.boolean().optional() });

/** Input of groups.upsert. */
export const groupInput = z.object({ address, name: z.string().max(255).optional(), members: z.array(address).min(1).max(10_000) });

/** The argument validators of the provisioning areas. */
export const provisioningSchemas = {
  domains: {
    list: z.tuple([inventoryQuery]),
    refresh: z.tuple([id]),
    create: z.tuple([id, newDomain]),
    update: z.tuple([id, domainName, domainPatch]),
    remove: z.tuple([id, domainName]),
  },
  mailboxes: {
    search: z.tuple([inventoryQuery]),
    page: z.tuple([mailboxPageQuery]),
    invite: z.tuple([inviteInput]),
    import: z.tuple([importRequest]),
    create: z.tuple([id, newMailbox]),
    update: z.tuple([id, address, mailboxPatch]),
    remove: z.tuple([id, address]),
    setPassword: z.tuple([id, address, z.string().min(1).max(4096)]),
    setForwarding: z.tuple([id, address, z.array(address).max(100), z.boolean()]),
  },
  aliases: {
    list: z.tuple([inventoryQuery]),
    upsert: z.tuple([id, aliasInput]),
    remove: z.tuple([id, aliasAddress]),
  },
  groups: {
    list: z.tuple([inventoryQuery]),
    upsert: z.tuple([id, groupInput]),
    remove: z.tuple([id, address]),
  },
} as const;
