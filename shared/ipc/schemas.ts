import type { z } from 'zod';
import type { Api, Area, Args, Method } from './contract.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { appSchemas } from './schemas/app.ts';
import { connectionsSchemas } from './schemas/connections.ts';
import { auditSchemas } from './schemas/audit.ts';
import { domainsSchemas } from './schemas/domains.ts';
import { mailboxesSchemas } from './schemas/mailboxes.ts';
import { aliasesSchemas } from './schemas/aliases.ts';
import { groupsSchemas } from './schemas/groups.ts';
import { dnsSchemas } from './schemas/dns.ts';
import { routingSchemas } from './schemas/routing.ts';
import { storageSchemas } from './schemas/storage.ts';
import { relaySchemas } from './schemas/relay.ts';
import { migrationSchemas } from './schemas/migration.ts';
import { reportsSchemas } from './schemas/reports.ts';
import { alertsSchemas } from './schemas/alerts.ts';
import { standardsSchemas } from './schemas/standards.ts';
import { customerReportsSchemas } from './schemas/customer-reports.ts';

type SchemaTable = {
  readonly [A in keyof Api]: {
    readonly [M in keyof Api[A]]: Api[A][M] extends (...args: infer P) => unknown ? z.ZodType<P> : never;
  };
};

/** The argument validator of every operation, one file per area; the compiler ties each to its contract signature. */
export const inputSchemas = {
  app: appSchemas,
  connections: connectionsSchemas,
  audit: auditSchemas,
  domains: domainsSchemas,
  mailboxes: mailboxesSchemas,
  aliases: aliasesSchemas,
  groups: groupsSchemas,
  dns: dnsSchemas,
  routing: routingSchemas,
  storage: storageSchemas,
  relay: relaySchemas,
  reports: reportsSchemas,
  alerts: alertsSchemas,
  standards: standardsSchemas,
  customerReports: customerReportsSchemas,
  ...migrationSchemas,
} satisfies SchemaTable;

/** Options of parseArgs. */
export interface ParseOptions {
  /** Converts a Unicode domain name to its ASCII (xn--) form where the runtime has IDNA, to suggest it in the error. */
  readonly toAscii?: (domain: string) => string;
}

/** Validates (and normalises) the untrusted argument tuple of one operation; `input.invalid` names every issue. */
export function parseArgs<A extends Area, M extends Method<A>>(area: A, method: M, raw: unknown, options: ParseOptions = {}): Result<Args<A, M>> {
  const schema = (inputSchemas as unknown as Record<string, Record<string, z.ZodType>>)[area]![method]!;
  const parsed = schema.safeParse(Array.isArray(raw) ? raw : [raw]);
  if (parsed.success) return ok(parsed.data as Args<A, M>);
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}${suggestion(i, options)}`);
  return err('input.invalid', `Invalid input for ${area}.${method}: ${issues.join('; ')}`, { detail: { issues } });
}

function suggestion(issue: z.core.$ZodIssue, options: ParseOptions): string {
  const params = issue.code === 'custom' ? (issue.params as { unicodeDomain?: unknown; input?: unknown } | undefined) : undefined;
  if (!options.toAscii || typeof params?.unicodeDomain !== 'string' || typeof params.input !== 'string') return '';
  const ascii = options.toAscii(params.unicodeDomain);
  if (!ascii || ascii === params.unicodeDomain) return '';
  return `: use ${params.input.slice(0, params.input.length - params.unicodeDomain.length)}${ascii}`;
}
