import { z } from 'zod';
import { domainName } from './primitives.ts';

/** Argument validators of the `routing` area. */
export const routingSchemas = {
  analyze: z.tuple([z.object({ domain: domainName.optional() })]),
};
