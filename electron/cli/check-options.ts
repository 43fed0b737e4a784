import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { parseServer, type RunSettings } from '../dns/run.ts';
import { parsePort } from './args.ts';
import { UsageError } from './cli-context.ts';

/** The parseArgs options of a deliverability run, shared by `check` and `monitor`. */
export const CHECK_OPTIONS = {
  dns: { type: 'string', multiple: true },
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

/** Usage text of CHECK_OPTIONS. */
export const CHECK_USAGE = `[--dns HOST:PORT]... [--dkim-selector S]... [--sending-ip IP]... [--dnsbl ZONE]... [--dbl ZONE]...
                [--smtp-port N | --no-smtp] [--relay-test] [--mta-sts-port N] [--ca-file PEM] [--timeout MS] [--test-nets]`;

type CheckValues = { [K in keyof typeof CHECK_OPTIONS]?: (typeof CHECK_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof CHECK_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** The run settings the options ask for (every option checked, usage errors thrown), with the sending IPs and DKIM selectors. */
export async function checkSettings(values: CheckValues): Promise<{ settings: RunSettings; sendingIps: string[]; dkimSelectors: string[] }> {
  const servers = values.dns ?? [];
  for (const s of servers) if (!parseServer(s)) throw new UsageError(`--dns must be HOST or HOST:PORT, not "${s}".`);
  const sendingIps = values['sending-ip'] ?? [];
  for (const ip of sendingIps) if (!isIP(ip)) throw new UsageError(`--sending-ip must be an IP address, not "${ip}".`);
  const timeout = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout < 100 || timeout > 120_000) throw new UsageError('--timeout must be 100-120000 milliseconds.');
  const ca = values['ca-file'] ? await readFile(values['ca-file'], 'utf8') : undefined;
  const settings: RunSettings = {
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
  };
  return { settings, sendingIps, dkimSelectors: values['dkim-selector'] ?? [] };
}
