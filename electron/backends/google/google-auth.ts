import { JWT } from 'google-auth-library';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import type { FetchLike } from '../http/http-client.ts';

/** The fields Mailroom uses from a service-account JSON key (the whole key stays in the OS keychain). */
export interface ServiceAccountKey {
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly tokenUri: string;
}

/** Google's token endpoint; google-auth-library hard-codes it, so the shared fetch rewrites it to the key's token_uri. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** OAuth scopes per API; each must be authorised for the client ID under Security › API controls › Domain-wide delegation. */
export const SCOPES = {
  directory: [
    'https://www.googleapis.com/auth/admin.directory.user',
    'https://www.googleapis.com/auth/admin.directory.group',
    'https://www.googleapis.com/auth/admin.directory.domain',
  ],
  reports: ['https://www.googleapis.com/auth/admin.reports.usage.readonly'],
  // Forwarding endpoints accept only a DWD service account acting as the mailbox owner (Gmail API guide).
  gmail: ['https://www.googleapis.com/auth/gmail.settings.basic', 'https://www.googleapis.com/auth/gmail.settings.sharing'],
  // A reports mailbox is read and relabelled: gmail.modify, never the full https://mail.google.com/ scope.
  gmailMessages: ['https://www.googleapis.com/auth/gmail.modify'],
  // Calendars and contacts move with the mailbox (Calendar API v3, People API), acting as the user.
  calendar: ['https://www.googleapis.com/auth/calendar'],
  contacts: ['https://www.googleapis.com/auth/contacts'],
} as const;

/** Parses a service-account JSON key without ever echoing its content in the error. */
export function parseServiceAccountKey(secret: string): Result<ServiceAccountKey> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(secret) as Record<string, unknown>;
  } catch {
    return err('input.invalid', 'Google: the service-account key is not valid JSON.');
  }
  const clientEmail = json['client_email'];
  const privateKey = json['private_key'];
  if (json['type'] !== 'service_account' || typeof clientEmail !== 'string' || typeof privateKey !== 'string') {
    return err('input.invalid', 'Google: expected a service-account key with client_email and private_key.');
  }
  const tokenUri = typeof json['token_uri'] === 'string' ? json['token_uri'] : GOOGLE_TOKEN_URL;
  return ok({ clientEmail, privateKey, tokenUri });
}

/** Hands out one JWT client per (subject, scope set): domain-wide delegation impersonates `subject`. */
export class DelegatedAuth {
  readonly #key: ServiceAccountKey;
  readonly #fetch: FetchLike;
  readonly #clients = new Map<string, JWT>();

  constructor(key: ServiceAccountKey, fetchImplementation: FetchLike) {
    this.#key = key;
    this.#fetch = fetchImplementation;
  }

  /** A JWT client acting as `subject` with `scopes`; cached so tokens are reused until they expire. */
  client(subject: string, scopes: readonly string[]): JWT {
    const cacheKey = `${subject} ${scopes.join(' ')}`;
    let client = this.#clients.get(cacheKey);
    if (!client) {
      client = new JWT({
        email: this.#key.clientEmail,
        key: this.#key.privateKey,
        scopes: [...scopes],
        subject,
        // Token requests go through the shared layer too (retries, loopback fakes, custom token_uri).
        transporterOptions: { fetchImplementation: this.#fetch, retry: false },
      });
      this.#clients.set(cacheKey, client);
    }
    return client;
  }
}
