import { z } from 'zod';

// eslint-disable-next-line no-control-regex -- labels are shown and exported as CSV: no control characters
const printable = /^[^\u0000-\u001f\u007f]+$/;

/** One plan of the price table (a form row or a CSV row). */
export const pricePlan = z.object({
  id: z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  label: z.string().trim().min(1, 'a name is required').max(120).regex(printable, 'no line breaks or other control characters'),
  kind: z.enum(['google', 'microsoft', 'mailcow', 'stalwart', 'postfixadmin', 'imap']),
  model: z.enum(['per-seat', 'flat']),
  monthly: z.number({ error: 'a price is required' }).min(0, 'a price cannot be negative').max(1e9),
  includedBytesPerSeat: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
});

/** Input of storage.setPrices: the console's Settings › Price table and the CLI check against it. */
export const priceTable = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code such as USD or EUR'),
    plans: z.array(pricePlan).max(100),
    assignments: z.record(z.string().max(100), z.string().max(64)),
  })
  .superRefine((table, ctx) => {
    const ids = new Set<string>();
    table.plans.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['plans', i, 'id'], message: `the plan id "${p.id}" is used twice` });
      ids.add(p.id);
    });
    for (const [connection, planId] of Object.entries(table.assignments)) {
      if (!ids.has(planId)) ctx.addIssue({ code: 'custom', path: ['assignments', connection], message: `no plan "${planId}" in the table` });
    }
  });

/** Argument validators of the `storage` area. */
export const storageSchemas = {
  summary: z.tuple([]),
  prices: z.tuple([]),
  setPrices: z.tuple([priceTable]),
  exportPrices: z.tuple([]),
  importPrices: z.tuple([z.object({ csv: z.string().min(1, 'the CSV is empty').max(1_000_000), dryRun: z.boolean() })]),
};
