import { z } from 'zod';
import { address, domainName } from './provisioning-schemas.ts';

const name = z.string().trim().min(1).max(80);
const secret = z.string().min(1).max(65_536);
// shared/ has no URL global (no DOM, no Node types): a scheme-and-host check; the adapter parses it fully.
const httpUrl = z.string().max(2048).regex(/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i, 'an http(s) URL');

/** Input of connections.addMailcow. */
export const newMailcowConnection = z.object({ name, baseUrl: httpUrl, apiKey: secret });

/** Input of connections.addStalwart. */
export const newStalwartConnection = z.object({ name, baseUrl: httpUrl, username: z.string().min(1).max(320).optional(), secret });

/** Input of connections.addGoogle; the key must be a service-account JSON key. */
export const newGoogleConnection = z.object({
  name,
  adminEmail: address,
  customer: z.string().min(1).max(64).optional(),
  serviceAccountJson: secret.refine((s) => {
    try {
      const json = JSON.parse(s) as Record<string, unknown>;
      return json['type'] === 'service_account' && typeof json['client_email'] === 'string' && typeof json['private_key'] === 'string';
    } catch {
      return false;
    }
  }, 'a service-account JSON key (type service_account, client_email, private_key)'),
  rootUrl: httpUrl.optional(),
  gmailRootUrl: httpUrl.optional(),
});

/** Input of connections.addMicrosoft. */
export const newMicrosoftConnection = z.object({
  name,
  tenantId: z.string().min(1).max(255),
  clientId: z.string().min(1).max(255),
  clientSecret: secret,
  licenseSkuId: z.string().min(1).max(64).optional(),
  usageLocation: z.string().length(2).optional(),
  authorityHost: httpUrl.optional(),
  graphBaseUrl: httpUrl.optional(),
});

const plan = z.object({
  id: z.string().min(1).max(64),
  label: z.string().min(1).max(120),
  kind: z.enum(['google', 'microsoft', 'mailcow', 'stalwart', 'postfixadmin', 'imap']),
  model: z.enum(['per-seat', 'flat']),
  monthly: z.number().min(0).max(1e9),
  includedBytesPerSeat: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
});

/** Input of storage.setPrices. */
export const priceTable = z.object({
  currency: z.string().min(1).max(8),
  plans: z.array(plan).max(100),
  assignments: z.record(z.string().max(100), z.string().max(64)),
});

/** Input of relay.set. */
export const newRelaySettings = z.object({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  tls: z.enum(['implicit', 'starttls', 'none']),
  user: z.string().min(1).max(320).optional(),
  password: z.string().min(1).max(4096).optional(),
  from: address,
});

/** The argument validators of the routing, storage and relay areas. */
export const consoleSchemas = {
  routing: { analyze: z.tuple([z.object({ domain: domainName.optional() })]) },
  storage: { summary: z.tuple([]), prices: z.tuple([]), setPrices: z.tuple([priceTable]) },
  relay: { get: z.tuple([]), set: z.tuple([newRelaySettings]) },
} as const;
