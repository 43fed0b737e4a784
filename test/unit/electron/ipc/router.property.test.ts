import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { Router, type HandlerTable } from '../../../../electron/ipc/router.ts';
import type { AuditJournal } from '../../../../electron/audit/audit-journal.ts';
import { EventBus } from '../../../../electron/platform/event-bus.ts';
import { createMemoryLogger } from '../../../../electron/platform/logger.ts';
import { listOperations } from '../../../../shared/ipc/channels.ts';
import { inputSchemas } from '../../../../shared/ipc/schemas.ts';
import { ok } from '../../../../shared/errors/result.ts';
import { hostileString, nearValid } from '../../../support/zod-arbitrary.ts';

const operations = listOperations();

/** A router whose every handler records the arguments it was given and answers ok. */
function recordingRouter(): { router: Router; calls: { channel: string; args: unknown }[]; journaled: string[] } {
  const calls: { channel: string; args: unknown }[] = [];
  const journaled: string[] = [];
  const handlers: Record<string, Record<string, unknown>> = {};
  for (const [area, method] of operations) {
    (handlers[area] ??= {})[method] = (args: unknown) => (calls.push({ channel: `${area}.${method}`, args }), ok(null));
  }
  const journal = { append: (record: { action: string }) => (journaled.push(record.action), { seq: journaled.length, ...record }) } as unknown as AuditJournal;
  const router = new Router({ handlers: handlers as unknown as HandlerTable, journal, logger: createMemoryLogger(), events: new EventBus(), operator: 'prop' });
  return { router, calls, journaled };
}

describe('router under random and hostile calls', { timeout: 120_000 }, () => {
  it('answers every call with a Result, never a throw, and runs a handler only with input its schema accepted', async () => {
    const { router, calls } = recordingRouter();
    const known = fc.constantFrom(...operations.map(([a, m]) => `${a}.${m}`));
    const channel = fc.oneof(known, hostileString, fc.constantFrom('__proto__.x', 'constructor.name', 'connections.__proto__', 'toString.call', 'a.b.c'));
    await fc.assert(
      fc.asyncProperty(channel, fc.oneof(fc.anything(), fc.array(fc.anything(), { maxLength: 4 })), async (name, args) => {
        const before = calls.length;
        const result = await router.dispatch(name, args);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          expect(result.error.code).toMatch(/^[a-z]+(\.[a-zA-Z]+)*$/);
          expect(calls.length).toBe(before);
        } else {
          const [area, method] = name.split('.');
          const schema = (inputSchemas as unknown as Record<string, Record<string, z.ZodType>>)[area!]![method!]!;
          expect(schema.safeParse(Array.isArray(args) ? args : [args]).success).toBe(true);
          expect(calls.at(-1)!.channel).toBe(name);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('journals every mutating call its schema accepted, and never a read or a refused input', async () => {
    const { router, journaled } = recordingRouter();
    const call = fc.constantFrom(...operations).chain(([area, method, kind]) =>
      nearValid((inputSchemas as unknown as Record<string, Record<string, z.ZodType>>)[area]![method]!).map((args) => ({ channel: `${area}.${method}`, kind, args })),
    );
    await fc.assert(
      fc.asyncProperty(call, async ({ channel, kind, args }) => {
        const before = journaled.length;
        const result = await router.dispatch(channel, args);
        expect(typeof result.ok).toBe('boolean');
        expect(journaled.length - before).toBe(kind === 'mutate' && result.ok ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});
