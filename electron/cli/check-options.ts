import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { CheckRequest, DomainProfile } from '../../shared/domain/dns.ts';
import { parseServer, type RunSettings } from '../dns/run.ts';
import { parsePort } from './args.ts';
import { UsageError } from './cli-context.ts';

const PROFILES: readonly DomainProfile[] = ['hosted', 'parked', 'bulk-sender'];

/** The options of `mailroom check` that say how to check, shared by every command that runs the checks. */
export const CHECK_OPTIONS = {
  dns: { type: 'string', multiple: true },
  profile: { type: 'string' },
  'dkim-selector': { type: 'string', multiple: true },
  'sending-ip': { type: 'string', multiple: true },
  dnsbl: { type: 'string', multiple: true },
  dbl: { type: 'string', multiple: true },
  'smtp-port': { type: 'string' },
  'no-smtp': { type: 'boolean' },
  'relay-test': { type: 'boolean' },
  'mta-sts-port': { type: 'string' },
  'ca-file': { type: 'string' },
  timeout: { type: 'string' },
  'test-nets': { type: 'boolean' },
} as const;

/** Usage text of the check options. */
export const CHECK_USAGE = `[--dns HOST:PORT]... [--profile hosted|parked|bulk-sender]
                [--dkim-selector S]... [--sending-ip IP]... [--dnsbl ZONE]... [--dbl ZONE]...
                [--smtp-port N | --no-smtp] [--relay-test] [--mta-sts-port N] [--ca-file PEM] [--timeout MS] [--test-nets]`;

type CheckValues = { readonly [K in keyof typeof CHECK_OPTIONS]?: (typeof CHECK_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof CHECK_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** The check request options and run settings the check options ask for; throws UsageError on a bad value. */
export async function checkRunFrom(values: CheckValues): Promise<{ request: Omit<CheckRequest, 'domains'> & { profile: DomainProfile }; settings: RunSettings }> {
  const profile = (values.profile ?? 'hosted') as DomainProfile;
  if (!PROFILES.includes(profile)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}.`);
  const servers = values.dns ?? [];
  for (const s of servers) if (!parseServer(s)) throw new UsageError(`--dns must be HOST or HOST:PORT, not "${s}".`);
  const ips = values['sending-ip'] ?? [];
  for (const ip of ips) if (!isIP(ip)) throw new UsageError(`--sending-ip must be an IP address, not "${ip}".`);
  const timeout = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout < 100 || timeout > 120_000) throw new UsageError('--timeout must be 100-120000 milliseconds.');
  const ca = values['ca-file'] ? await readFile(values['ca-file'], 'utf8') : undefined;
  return {
    request: { profile, dkimSelectors: values['dkim-selector'] ?? [], sendingIps: ips },
    settings: {
      servers,
      dnsTimeoutMs: Math.min(timeout, 2000),
      mtaStsPort: parsePort(values['mta-sts-port'], 'mta-sts-port') ?? 443,
      options: {
        smtp: { enabled: !values['no-smtp'], port: parsePort(values['smtp-port'], 'smtp-port') ?? 25, timeoutMs: timeout, relayTest: values['relay-test'] ?? false },
        httpsTimeoutMs: timeout,
        ca,
        testNets: values['test-nets'] ?? false,
        dnsbl: { ipZones: values.dnsbl ?? [], domainZones: values.dbl ?? [] },
      },
    },
  };
}

/** The run settings with the sending IPs and DKIM selectors, for a caller that checks stored domains (`monitor`). */
export async function checkSettings(values: CheckValues): Promise<{ settings: RunSettings; sendingIps: string[]; dkimSelectors: string[] }> {
  const { request, settings } = await checkRunFrom(values);
  return { settings, sendingIps: [...(request.sendingIps ?? [])], dkimSelectors: [...(request.dkimSelectors ?? [])] };
}
