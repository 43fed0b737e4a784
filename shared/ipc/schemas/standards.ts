import { z } from 'zod';
import { RULES, ruleDefinition } from '../../domain/standard-rules.ts';
import { id } from './primitives.ts';

// eslint-disable-next-line no-control-regex -- names are shown, journaled and exported: no control characters
const printable = /^[^\u0000-\u001f\u007f]+$/;

/** A customer (an MSP's client) name. */
export const customerName = z.string().trim().min(1, 'a customer name is required').max(80).regex(printable, 'no line breaks or other control characters');

/** A standard's name. */
export const standardName = z.string().trim().min(1, 'a standard needs a name').max(80).regex(printable, 'no line breaks or other control characters');

const paramValue = z.union([z.string().max(320), z.number().finite(), z.boolean(), z.array(z.string().max(320)).max(500)]);

const rule = z
  .object({
    rule: z.string().refine((r) => ruleDefinition(r) !== undefined, { message: `unknown rule; known: ${RULES.map((r) => r.rule).join(', ')}` }),
    mode: z.enum(['report', 'alert', 'remediate']),
    params: z.record(z.string().max(40), paramValue).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const wanted = ruleDefinition(r.rule)?.params ?? {};
    for (const [key, value] of Object.entries(r.params ?? {})) {
      const type = wanted[key];
      const fits = type === 'strings' ? Array.isArray(value) : type !== undefined && typeof value === type;
      if (!fits) ctx.addIssue({ code: 'custom', path: ['params', key], message: type ? `must be ${type === 'strings' ? 'a list of strings' : `a ${type}`}` : `${r.rule} takes no parameter "${key}"` });
    }
    const p = r.params ?? {};
    if (typeof p['days'] === 'number' && !(p['days'] > 0)) ctx.addIssue({ code: 'custom', path: ['params', 'days'], message: 'must be more than 0' });
    for (const [min, max] of [['minScore', 'maxScore'], ['minBytes', 'maxBytes']] as const) {
      const low = p[min];
      const high = p[max];
      if (typeof low === 'number' && typeof high === 'number' && low > high) ctx.addIssue({ code: 'custom', path: ['params', min], message: `must not be above ${max}` });
    }
  });

const targets = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('except'), customers: z.array(customerName).max(1000) }).strict(),
  z.object({ kind: z.literal('only'), customers: z.array(customerName).min(1, 'name at least one customer').max(1000) }).strict(),
]);

/** A standard as imported and exported (JSON). */
export const standardDocument = z
  .object({
    name: standardName,
    version: z.number().int().min(1).max(1_000_000),
    description: z.string().max(500).optional(),
    targets,
    rules: z.array(rule).min(1, 'a standard needs at least one rule').max(100),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.rules.forEach((r, i) => {
      if (seen.has(r.rule)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'rule'], message: `the rule "${r.rule}" appears twice` });
      seen.add(r.rule);
    });
  });

/** Input of `standards.accept`. */
export const acceptDeviation = z
  .object({
    standard: standardName,
    rule: z.string().min(1).max(80),
    target: z.string().trim().min(1).max(320),
    reason: z.string().trim().min(3, 'say why the deviation is accepted').max(500).regex(printable, 'no line breaks or other control characters'),
  })
  .strict();

/** Argument validators of the `standards` area. */
export const standardsSchemas = {
  customers: z.tuple([]),
  assignCustomer: z.tuple([id, customerName.nullable()]),
  list: z.tuple([z.object({ customer: customerName.optional() }).strict()]),
  show: z.tuple([standardName]),
  import: z.tuple([standardDocument]),
  latest: z.tuple([standardName, z.object({ customer: customerName.optional() }).strict()]),
  evaluate: z.tuple([standardName, z.object({ customer: customerName.optional(), runId: z.string().min(1).max(100).optional() }).strict()]),
  cancel: z.tuple([z.string().min(1).max(100)]),
  accept: z.tuple([acceptDeviation]),
  remedy: z.tuple([standardName, z.object({ rule: z.string().min(1).max(80), target: z.string().trim().min(1).max(320) }).strict()]),
  recheck: z.tuple([standardName, z.string().trim().min(1).max(320)]),
};
