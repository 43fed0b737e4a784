import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { listOperations } from '../../../../shared/ipc/channels.ts';
import { inputSchemas } from '../../../../shared/ipc/schemas.ts';
import { nearValid } from '../../../support/zod-arbitrary.ts';

const schemaOf = (area: string, method: string): z.ZodType =>
  (inputSchemas as unknown as Record<string, Record<string, z.ZodType>>)[area]![method]!;

// Every IPC operation's argument validator, fed shaped-but-hostile and arbitrary values.
describe('every IPC input schema', { timeout: 120_000 }, () => {
  it.each(listOperations().map(([area, method]) => [`${area}.${method}`, area, method] as const))(
    '%s: never throws, and what it accepts it accepts again unchanged',
    (_name, area, method) => {
      const schema = schemaOf(area, method);
      fc.assert(
        fc.property(fc.oneof(nearValid(schema), fc.anything()), (input) => {
          const first = schema.safeParse(input);
          if (!first.success) {
            expect(first.error.issues.length).toBeGreaterThan(0);
            return;
          }
          // Normalising transforms (hosts, fingerprints, addresses) must be idempotent, or a value
          // stored and sent back by the console would be refused or changed on its second trip.
          const second = schema.safeParse(first.data);
          expect(second.success).toBe(true);
          if (second.success) expect(second.data).toEqual(first.data);
        }),
        { numRuns: 150 },
      );
    },
  );
});
