import { z } from 'zod';
import { id } from './primitives.ts';

/** Input of audit.list. */
export const auditQuery = z.object({
  limit: z.number().int().min(1).max(1000).optional(),
  beforeSeq: z.number().int().min(1).optional(),
  action: z.string().max(100).optional(),
  connectionId: id.optional(),
});

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits');
const base64 = z.string().regex(/^[A-Za-z0-9+/]{1,200}={0,2}$/, 'base64');

/** Input of audit.verifyCheckpoint: a checkpoint file as `audit export --checkpoint` writes it. */
export const auditCheckpoint = z
  .object({
    format: z.literal('mailroom-audit-checkpoint/1'),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    mac: hex64,
    at: z.string().min(1).max(40),
    keyFingerprint: hex64,
    publicKey: base64,
    signature: base64,
  })
  .strict();

/** Argument validators of the `audit` area. */
export const auditSchemas = {
  list: z.tuple([auditQuery]),
  verify: z.tuple([]),
  exportCsv: z.tuple([]),
  checkpoint: z.tuple([]),
  verifyCheckpoint: z.tuple([auditCheckpoint]),
};
