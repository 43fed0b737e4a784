import type { Capabilities, Support } from '../../../shared/domain/provisioning.ts';

const none: Support = { level: 'unsupported', manual: 'An IMAP-only connection reads mail and usage; provision on the server itself.' };

/**
 * What an IMAP-only connection offers: being a migration end, and its own account's forwards, read from the
 * redirects of the active Sieve script over ManageSieve (RFC 5804); no provisioning, and no usage read
 * (nothing asks GETQUOTAROOT).
 */
export const imapOnlyCapabilities: Capabilities = {
  kind: 'imap',
  version: null,
  domain: { list: none, create: none, remove: none, alias: none },
  mailbox: { list: none, create: none, update: none, remove: none, suspend: none, setPassword: none, forcePasswordChange: none },
  alias: { manage: none, catchAll: none },
  group: { manage: none, model: 'none' },
  forward: { set: none, read: { level: 'native', how: "the redirects of the account's active Sieve script, read over ManageSieve (port 4190 unless the connection names another)" }, keepCopy: false, needsConfirmation: false },
  quota: { set: none },
  usage: { read: { level: 'unsupported', manual: 'Mailroom does not read IMAP QUOTA; ask the server (doveadm quota get -u USER) or the mail client.' }, freshness: 'none' },
  dkim: { generate: none, install: none },
  security: { lastLogin: none, twoStepEnforcement: none, securityDefaults: none, spamThreshold: none },
};
