import { z } from 'zod';
import { address, connectionName as name, fingerprint, host, httpUrl, id, secret } from './primitives.ts';
import { PFA_SITE_KEYS, siteValueProblem } from '../../lib/pfa-site.ts';
import { plaintextProblem } from '../../lib/validate.ts';

// Credentials in clear to another machine only when the caller says so (the console shows a warning first).
const clearOnlyIfAllowed = (problem: string | null, allowed: boolean | undefined, ctx: z.RefinementCtx<unknown>, path: string): void => {
  if (problem !== null && allowed !== true) ctx.addIssue({ code: 'custom', path: [path], message: `${problem}; choose TLS (https, implicit or starttls) or allow plaintext explicitly (--allow-plaintext)` });
};

/** Set to send credentials unencrypted to a host that is not this machine. */
const allowPlaintext = z.boolean().optional();

/** Input of connections.addImap. */
export const newImapConnection = z.object({
  name,
  host,
  port: z.number().int().min(1).max(65535),
  tls: z.enum(['implicit', 'starttls', 'none']),
  user: z.string().min(1).max(320),
  password: z.string().min(1).max(4096),
  pinnedFingerprint: fingerprint.optional(),
  sievePort: z.number().int().min(1).max(65535).optional(),
  allowPlaintext,
}).superRefine((c, ctx) => clearOnlyIfAllowed(plaintextProblem(c), c.allowPlaintext, ctx, 'tls'));

/** Input of connections.addPostfixAdmin. */
export const newPostfixAdminConnection = z
  .object({
    name,
    dialect: z.enum(['mysql', 'postgres', 'sqlite']),
    host: z.string().min(1).max(253).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).max(64).optional(),
    user: z.string().min(1).max(128).optional(),
    password: z.string().max(4096).optional(),
    path: z.string().min(1).max(4096).optional(),
    encrypt: z.string().trim().min(1).max(100).optional(),
    site: z
      .partialRecord(z.enum(PFA_SITE_KEYS), z.union([z.string().max(200), z.number().int(), z.boolean()]))
      .superRefine((site, ctx) => {
        for (const key of PFA_SITE_KEYS) {
          const value = site[key];
          const problem = value === undefined ? null : siteValueProblem(key, value);
          if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
        }
      })
      .optional(),
    passwordScheme: z.enum(['BLF-CRYPT', 'SHA512-CRYPT', 'ARGON2ID']).optional(),
    quotaMultiplier: z.number().int().min(1).max(1 << 30).optional(),
  })
  .refine((c) => (c.dialect === 'sqlite' ? c.path !== undefined : c.host !== undefined && c.database !== undefined && c.user !== undefined), {
    message: 'SQLite needs path; MySQL and PostgreSQL need host, database and user',
  });

/** Input of connections.addMailcow. */
export const newMailcowConnection = z.object({ name, baseUrl: httpUrl, apiKey: secret, allowPlaintext }).superRefine((c, ctx) => clearOnlyIfAllowed(plaintextProblem({ url: c.baseUrl }), c.allowPlaintext, ctx, 'baseUrl'));

/** Input of connections.addStalwart. */
export const newStalwartConnection = z.object({ name, baseUrl: httpUrl, username: z.string().min(1).max(320).optional(), secret, allowPlaintext }).superRefine((c, ctx) => clearOnlyIfAllowed(plaintextProblem({ url: c.baseUrl }), c.allowPlaintext, ctx, 'baseUrl'));

/** Input of connections.addGoogle; the key must be a service-account JSON key. */
export const newGoogleConnection = z.object({
  name,
  adminEmail: address,
  customer: z.string().min(1).max(64).optional(),
  serviceAccountJson: secret.refine((s) => {
    try {
      const json = JSON.parse(s) as Record<string, unknown>;
      return json['type'] === 'service_account' && typeof json['client_email'] === 'string' && typeof json['private_key'] === 'string';
    } catch {
      return false;
    }
  }, 'a service-account JSON key (type service_account, client_email, private_key)'),
  rootUrl: httpUrl.optional(),
  gmailRootUrl: httpUrl.optional(),
});

/** Input of connections.addMicrosoft. */
export const newMicrosoftConnection = z.object({
  name,
  tenantId: z.string().min(1).max(255),
  clientId: z.string().min(1).max(255),
  clientSecret: secret,
  licenseSkuId: z.string().min(1).max(64).optional(),
  usageLocation: z.string().length(2).optional(),
  authorityHost: httpUrl.optional(),
  graphBaseUrl: httpUrl.optional(),
});

/** Options of every connections.add*: test first, keep only what passes. */
const addOptions = z.object({ test: z.boolean().optional() }).optional();

const settingValue = z.union([z.string().max(4096), z.number(), z.boolean(), z.null(), z.record(z.string().max(64), z.union([z.string().max(200), z.number(), z.boolean()]))]);

/** Input of connections.edit; the service checks the merged result with the kind's add schema. */
export const connectionEdit = z.object({
  name: name.optional(),
  settings: z.record(z.string().min(1).max(64), settingValue).optional(),
  secret: z.string().min(1).max(65536).optional(),
  allowPlaintext,
});

/** Argument validators of the `connections` area. */
export const connectionsSchemas = {
  list: z.tuple([]),
  addImap: z.tuple([newImapConnection, addOptions]),
  addPostfixAdmin: z.tuple([newPostfixAdminConnection, addOptions]),
  addMailcow: z.tuple([newMailcowConnection, addOptions]),
  addStalwart: z.tuple([newStalwartConnection, addOptions]),
  addGoogle: z.tuple([newGoogleConnection, addOptions]),
  addMicrosoft: z.tuple([newMicrosoftConnection, addOptions]),
  edit: z.tuple([id, connectionEdit]),
  test: z.tuple([id]),
  capabilities: z.tuple([id]),
  dependents: z.tuple([id]),
  remove: z.tuple([id, z.object({ force: z.boolean().optional() }).optional()]),
  setTenantSettings: z.tuple([id, z.object({ securityDefaults: z.boolean().optional() }).strict()]),
};
