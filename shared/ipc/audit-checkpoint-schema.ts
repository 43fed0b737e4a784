import { z } from 'zod';

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
