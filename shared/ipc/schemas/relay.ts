import { z } from 'zod';
import { address, host } from './primitives.ts';

// Every relay field ends up in SMTP commands or headers: a line break would start a new command.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must not pass
const noControl = /^[^\u0000-\u001f\u007f]+$/;
const NO_CONTROL = 'no line breaks or other control characters';
// eslint-disable-next-line no-control-regex -- see above; a password may hold any printable character
const noLineBreak = /^[^\r\n\u0000]+$/;

/** Input of relay.set; the CLI and the console's Settings › Invitations both check against it. */
export const newRelaySettings = z.object({
  host: z.string().regex(noControl, NO_CONTROL).pipe(host),
  port: z.number().int().min(1).max(65535),
  tls: z.enum(['implicit', 'starttls', 'none']),
  user: z.string().min(1).max(320).regex(noControl, NO_CONTROL).optional(),
  password: z.string().min(1).max(4096).regex(noLineBreak, 'no line breaks').optional(),
  from: z.string().regex(noControl, NO_CONTROL).pipe(address),
});

/** Input of relay.sendTest. */
export const relayTestInput = z.object({ to: z.string().regex(noControl, NO_CONTROL).pipe(address) });

/** Argument validators of the `relay` area. */
export const relaySchemas = {
  get: z.tuple([]),
  set: z.tuple([newRelaySettings]),
  sendTest: z.tuple([relayTestInput]),
};
