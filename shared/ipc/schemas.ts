import { z } from 'zod';
import type { Api } from './contract.ts';
import { normalizeHost } from '../lib/validate.ts';
import { newPostfixAdminConnection, provisioningSchemas } from './provisioning-schemas.ts';
import { dnsSchemas } from './dns-schemas.ts';
import { migrationSchemas } from './migration-schemas.ts';
import { auditCheckpoint } from './audit-checkpoint-schema.ts';
import { consoleSchemas, newGoogleConnection, newMailcowConnection, newMicrosoftConnection, newStalwartConnection } from './console-schemas.ts';

const id = z.string().min(1).max(100);

const fingerprint = z
  .string()
  .trim()
  .regex(/^([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/, 'a SHA-256 fingerprint: 64 hex digits, colons optional')
  .transform((s) => s.replace(/:/g, '').toUpperCase().match(/../g)!.join(':'));

const host = z
  .string()
  .max(253)
  .transform((s, ctx) => {
    const normal = normalizeHost(s);
    if (normal === null) ctx.addIssue({ code: 'custom', message: 'not a valid host name or IP address' });
    return normal ?? s;
  });

/** Input of connections.addImap. */
export const newImapConnection = z.object({
  name: z.string().trim().min(1).max(80),
  host,
  port: z.number().int().min(1).max(65535),
  tls: z.enum(['implicit', 'starttls', 'none']),
  user: z.string().min(1).max(320),
  password: z.string().min(1).max(4096),
  pinnedFingerprint: fingerprint.optional(),
});

/** Input of audit.list. */
export const auditQuery = z.object({
  limit: z.number().int().min(1).max(1000).optional(),
  beforeSeq: z.number().int().min(1).optional(),
  action: z.string().max(100).optional(),
  connectionId: id.optional(),
});

type SchemaTable = {
  readonly [A in keyof Api]: {
    readonly [M in keyof Api[A]]: Api[A][M] extends (...args: infer P) => unknown ? z.ZodType<P> : never;
  };
};

/** The argument validator of every operation; the compiler ties each to its contract signature. */
export const inputSchemas = {
  app: { info: z.tuple([]) },
  connections: {
    list: z.tuple([]),
    addImap: z.tuple([newImapConnection]),
    addPostfixAdmin: z.tuple([newPostfixAdminConnection]),
    addMailcow: z.tuple([newMailcowConnection]),
    addStalwart: z.tuple([newStalwartConnection]),
    addGoogle: z.tuple([newGoogleConnection]),
    addMicrosoft: z.tuple([newMicrosoftConnection]),
    test: z.tuple([id]),
    capabilities: z.tuple([id]),
    remove: z.tuple([id]),
  },
  audit: {
    list: z.tuple([auditQuery]),
    verify: z.tuple([]),
    exportCsv: z.tuple([]),
    checkpoint: z.tuple([]),
    verifyCheckpoint: z.tuple([auditCheckpoint]),
  },
  ...provisioningSchemas,
  dns: dnsSchemas,
  ...consoleSchemas,
  ...migrationSchemas,
} satisfies SchemaTable;
