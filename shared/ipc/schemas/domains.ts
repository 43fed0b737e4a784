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

/** Argument validators of the `domains` area. */
export const domainsSchemas = {
  list: z.tuple([inventoryQuery]),
  refresh: z.tuple([id]),
  create: z.tuple([id, newDomain]),
  update: z.tuple([id, domainName, domainPatch]),
  remove: z.tuple([id, domainName]),
};
