import { z } from 'zod';
import { address, host } from './primitives.ts';

/** Input of relay.set. */
export const newRelaySettings = z.object({
  host,
  port: z.number().int().min(1).max(65535),
  tls: z.enum(['implicit', 'starttls', 'none']),
  // The login goes into SMTP commands: no line breaks or other control characters.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not pass
  user: z.string().min(1).max(320).regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters').optional(),
  password: z.string().min(1).max(4096).optional(),
  from: address,
});

/** Argument validators of the `relay` area. */
export const relaySchemas = {
  get: z.tuple([]),
  set: z.tuple([newRelaySettings]),
};
