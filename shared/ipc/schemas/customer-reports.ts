import { z } from 'zod';
import { customerName } from './standards.ts';

const query = z.object({ customer: customerName, month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM').optional() }).strict();

/** Argument validators of the `customerReports` area. */
export const customerReportsSchemas = {
  monthly: z.tuple([query]),
  monthlyCsv: z.tuple([query]),
  monthlyPdf: z.tuple([query]),
};
