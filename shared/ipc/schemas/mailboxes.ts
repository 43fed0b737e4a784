import { z } from 'zod';
import { address, bytes, id, inventoryQuery, mailboxFilters, password } from './primitives.ts';

/** A mailbox's spam thresholds (rspamd scores): low below high. */
export const spamThreshold = z
  .object({ low: z.number().finite().min(-1000).max(1000), high: z.number().finite().min(-1000).max(1000) })
  .strict()
  .refine((t) => t.low < t.high, { message: 'the low spam score must be below the high one', path: ['low'] });

/** Input of mailboxes.page. */
export const mailboxPageQuery = z.object({
  ...mailboxFilters,
  connectionId: z.string().min(1).max(100).optional(),
  domain: z.string().max(253).optional(),
  text: z.string().max(320).optional(),
  afterKey: z.string().max(1024).optional(),
  offset: z.number().int().min(0).max(10_000_000).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

/** Input of mailboxes.invite. */
export const inviteInput = z.object({ connectionId: z.string().min(1).max(100), address, sendTo: address });

/** Input of mailboxes.import. */
export const importRequest = z.object({ csv: z.string().min(1).max(20_000_000), connectionId: id.optional(), dryRun: z.boolean() });

/** Input of mailboxes.create. */
export const newMailbox = z.object({
  address,
  displayName: z.string().max(255).optional(),
  password,
  quotaBytes: bytes.optional(),
  forceChangeAtFirstLogin: z.boolean().optional(),
});

/** Input of mailboxes.update. */
export const mailboxPatch = z.object({
  displayName: z.string().max(255).optional(),
  quotaBytes: bytes.optional(),
  active: z.boolean().optional(),
});

/** Argument validators of the `mailboxes` area. */
export const mailboxesSchemas = {
  search: z.tuple([inventoryQuery]),
  page: z.tuple([mailboxPageQuery]),
  invite: z.tuple([inviteInput]),
  import: z.tuple([importRequest]),
  create: z.tuple([id, newMailbox]),
  update: z.tuple([id, address, mailboxPatch]),
  remove: z.tuple([id, address]),
  setPassword: z.tuple([id, address, password]),
  setForwarding: z.tuple([id, address, z.array(address).max(100), z.boolean()]),
  setSpamThreshold: z.tuple([id, address, spamThreshold]),
};
