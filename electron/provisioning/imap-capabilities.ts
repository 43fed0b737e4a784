import type { Capabilities, Support } from '../../shared/domain/provisioning.ts';

const none: Support = { level: 'unsupported', manual: 'An IMAP-only connection reads mail and usage; provision on the server itself.' };

/** What an IMAP-only connection offers: usage (QUOTA) and being a migration end, no provisioning. */
export const imapOnlyCapabilities: Capabilities = {
  kind: 'imap',
  version: null,
  domain: { list: none, create: none, remove: none, alias: none },
  mailbox: { list: none, create: none, update: none, remove: none, suspend: none, setPassword: none, forcePasswordChange: none },
  alias: { manage: none, catchAll: none },
  group: { manage: none, model: 'none' },
  forward: { set: none, keepCopy: false, needsConfirmation: false },
  quota: { set: none },
  usage: { read: { level: 'native', how: 'IMAP QUOTA (RFC 9208) on the logged-in account' }, freshness: 'live' },
  dkim: { generate: none },
};
