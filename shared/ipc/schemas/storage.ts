import { z } from 'zod';

const plan = z.object({
  id: z.string().min(1).max(64),
  label: z.string().min(1).max(120),
  kind: z.enum(['google', 'microsoft', 'mailcow', 'stalwart', 'postfixadmin', 'imap']),
  model: z.enum(['per-seat', 'flat']),
  monthly: z.number().min(0).max(1e9),
  includedBytesPerSeat: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
});

/** Input of storage.setPrices. */
export const priceTable = z.object({
  currency: z.string().min(1).max(8),
  plans: z.array(plan).max(100),
  assignments: z.record(z.string().max(100), z.string().max(64)),
});

/** Argument validators of the `storage` area. */
export const storageSchemas = {
  summary: z.tuple([]),
  prices: z.tuple([]),
  setPrices: z.tuple([priceTable]),
};
