import { z } from 'zod';
import { address } from './primitives.ts';

/** Input of relay.set. */
export const newRelaySettings = z.object({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  tls: z.enum(['implicit', 'starttls', 'none']),
  user: z.string().min(1).max(320).optional(),
  password: z.string().min(1).max(4096).optional(),
  from: address,
});

/** Argument validators of the `relay` area. */
export const relaySchemas = {
  get: z.tuple([]),
  set: z.tuple([newRelaySettings]),
};
