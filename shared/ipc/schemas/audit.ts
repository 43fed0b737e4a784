import { z } from 'zod';
import { id } from './primitives.ts';

/** Input of audit.list. */
export const auditQuery = z.object({
  limit: z.number().int().min(1).max(1000).optional(),
  beforeSeq: z.number().int().min(1).optional(),
  action: z.string().max(100).optional(),
  connectionId: id.optional(),
});

/** Argument validators of the `audit` area. */
export const auditSchemas = {
  list: z.tuple([auditQuery]),
  verify: z.tuple([]),
  exportCsv: z.tuple([]),
};
