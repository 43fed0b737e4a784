import { z } from 'zod';
import { isLoopbackHost, plainHttpHost } from '../../lib/validate.ts';
import { address, httpUrl } from './primitives.ts';

// A webhook URL is a bearer token: over plain http it would cross the network readable by anyone on the path.
const webhookUrl = httpUrl.refine((u) => {
  const host = plainHttpHost(u);
  return host === null || isLoopbackHost(host);
}, 'must be https (plain http only to this machine)');

const name = z.string().trim().min(1).max(80);
const destinationId = z.string().min(1).max(100);

/** Input of alerts.addDestination; the console's form and the CLI check against it. */
export const newAlertDestination = z.object({
  name,
  kind: z.enum(['os', 'email', 'webhook', 'slack', 'teams']),
  to: address.optional(),
  url: webhookUrl.optional(),
});

/** Input of alerts.updateDestination. */
export const alertDestinationPatch = z.object({ name: name.optional(), to: address.optional(), url: webhookUrl.optional() });

/** Filter of alerts.list. */
export const alertFilter = z.object({ state: z.enum(['raised', 'resolved']).optional(), customer: z.string().min(1).max(200).optional() });

/** Argument validators of the `alerts` area. */
export const alertsSchemas = {
  list: z.tuple([alertFilter]),
  destinations: z.tuple([]),
  addDestination: z.tuple([newAlertDestination]),
  updateDestination: z.tuple([destinationId, alertDestinationPatch]),
  removeDestination: z.tuple([destinationId]),
  snooze: z.tuple([destinationId, z.iso.datetime({ offset: true }).nullable()]),
  test: z.tuple([destinationId]),
};
