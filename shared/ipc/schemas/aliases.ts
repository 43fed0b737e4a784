import { z } from 'zod';
import { address, aliasAddress, id, inventoryQuery } from './primitives.ts';

/** Input of aliases.upsert. */
export const aliasInput = z.object({ address: aliasAddress, targets: z.array(address).min(1).max(1000), active: z.boolean().optional() });

/** Argument validators of the `aliases` area. */
export const aliasesSchemas = {
  list: z.tuple([inventoryQuery]),
  upsert: z.tuple([id, aliasInput]),
  remove: z.tuple([id, aliasAddress]),
};
