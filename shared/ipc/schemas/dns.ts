import { z } from 'zod';

const domain = z.string().trim().min(1).max(253);
const profile = z.enum(['hosted', 'parked', 'bulk-sender']);
const selector = z.string().trim().min(1).max(63);
const runId = z.string().min(1).max(100);
const ip = z.string().trim().min(2).max(45).regex(/^[0-9a-fA-F:.]+$/, 'an IPv4 or IPv6 address');

/** Input of dns.check: up to 5000 domains per run. */
export const checkRequest = z.object({
  domains: z.array(z.string().max(1000)).min(1).max(5000),
  profile: profile.optional(),
  dkimSelectors: z.array(selector).max(20).optional(),
  sendingIps: z.array(ip).max(50).optional(),
  runId: runId.optional(),
});

/** Input of dns.generateRecords. */
export const recordPlan = z.object({
  domain,
  mailHost: domain,
  mxHosts: z.array(domain).max(10).optional(),
  spfIncludes: z.array(domain).max(20).optional(),
  sendingIps: z.array(ip).max(50).optional(),
  dkim: z.array(z.object({ selector, publicKeyRecord: z.string().max(4096) })).max(10).optional(),
  dmarcRua: z.string().max(500).optional(),
  tlsRptRua: z.string().max(500).optional(),
  mtaStsMode: z.enum(['enforce', 'testing', 'none']).optional(),
  policyHost: domain.optional(),
  nameServers: z.array(domain).max(13).optional(),
  profile: profile.optional(),
});

/** Argument validators of the `dns` area. */
export const dnsSchemas = {
  check: z.tuple([checkRequest]),
  history: z.union([z.tuple([domain]), z.tuple([domain, z.number().int().min(1).max(10_000)])]),
  latest: z.tuple([domain]),
  generateRecords: z.tuple([recordPlan]),
  resolver: z.tuple([]),
  setResolver: z.tuple([z.array(z.string().trim().min(1).max(100)).max(8)]),
  generateDkimKey: z.tuple([z.object({ domain, selector, algorithm: z.enum(['rsa-2048', 'ed25519']) })]),
  exportDkimKey: z.tuple([z.object({ domain, selector, path: z.string().min(2).max(4096).refine((p) => !p.includes('\0'), 'a path without NUL') })]),
  monitored: z.tuple([]),
  monitor: z.tuple([
    z.object({
      domain,
      profile: profile.optional(),
      dkimSelectors: z.array(selector).max(20).optional(),
      sendingIps: z.array(ip).max(50).optional(),
      intervalMinutes: z.number().int().min(5).max(10_080).optional(),
    }),
  ]),
  unmonitor: z.tuple([domain]),
  cancel: z.tuple([runId]),
  domains: z.tuple([]),
  changesSince: z.union([z.tuple([]), z.tuple([z.iso.datetime({ offset: true })])]),
  markSeen: z.tuple([]),
};
