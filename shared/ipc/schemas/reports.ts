import { z } from 'zod';

const isoDate = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date, e.g. 2026-11-01');
const domain = z.string().min(1).max(253).regex(/^[a-z0-9.-]+$/i, 'a domain name');

const runId = z.string().min(1).max(100);
const ip = z.union([z.ipv4(), z.ipv6()]);

const mailboxName = z.string().min(1).max(500).regex(/^[^\r\n\0]+$/, 'a folder name');

/** One report file or message, as base64 bytes (25 MB at most, the reader's own input limit). */
export const reportInput = z.object({ name: z.string().min(1).max(1000), base64: z.string().max(34_000_000) }).strict();

/** Argument validators of the `reports` area. */
export const reportsSchemas = {
  ingest: z.tuple([z.array(reportInput).max(1000), z.object({ keepRaw: z.boolean().optional() }).strict()]),
  summary: z.tuple([z.object({ domain: domain.optional(), since: isoDate.optional() }).strict()]),
  sources: z.tuple([z.object({ domain, since: isoDate.optional() }).strict()]),
  ingestMailbox: z.tuple([
    z
      .object({
        connection: z.string().min(1).max(200),
        mailbox: z.string().min(3).max(320).regex(/^[^\s@]+@[^\s@]+$/, 'an email address').optional(),
        folder: mailboxName.optional(),
        after: z.enum(['processed', 'flag']).optional(),
        processedFolder: mailboxName.optional(),
        keepRaw: z.boolean().optional(),
        runId: runId.optional(),
      })
      .strict(),
  ]),
  days: z.tuple([z.object({ domain, since: isoDate.optional() }).strict()]),
  tlsFailures: z.tuple([z.object({ domain: domain.optional(), since: isoDate.optional() }).strict()]),
  verdict: z.tuple([z.object({ domain }).strict()]),
  cancelIngest: z.tuple([runId]),
  reverseDns: z.tuple([z.object({ ips: z.array(ip).max(500) }).strict()]),
};
