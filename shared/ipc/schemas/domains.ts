import { z } from 'zod';
import { bytes, domainName, id, inventoryQuery } from './primitives.ts';

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

/** A DKIM key of one domain: the selector is a DNS label sequence (RFC 6376 §3.1). */
const dkimKey = z.object({ domain: domainName, selector: z.string().trim().min(1).max(63).regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i, 'a DKIM selector') });

/** Argument validators of the `domains` area. */
export const domainsSchemas = {
  list: z.tuple([inventoryQuery]),
  refresh: z.tuple([id]),
  create: z.tuple([id, newDomain]),
  update: z.tuple([id, domainName, domainPatch]),
  remove: z.tuple([id, domainName]),
  dkimKeys: z.tuple([id, domainName]),
  installDkim: z.tuple([id, dkimKey]),
  generateDkim: z.tuple([id, dkimKey]),
};
