import { z } from 'zod';
import { address, id, inventoryQuery } from './primitives.ts';

/** Input of groups.upsert. */
export const groupInput = z.object({ address, name: z.string().max(255).optional(), members: z.array(address).min(1).max(10_000) });

/** Argument validators of the `groups` area. */
export const groupsSchemas = {
  list: z.tuple([inventoryQuery]),
  upsert: z.tuple([id, groupInput]),
  remove: z.tuple([id, address]),
};
