import type { ConnectionKind, ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { Capabilities, Support } from '../../../shared/domain/provisioning.ts';
import { siteValues } from './site-settings-model.ts';
import { PLATFORM_NAME } from '../../lib/platform-name.ts';

/** Display names of the platforms. */
export const KIND_LABEL: Readonly<Record<ConnectionKind, string>> = PLATFORM_NAME;

const TLS_LABEL: Record<string, string> = { implicit: 'TLS', starttls: 'STARTTLS', none: 'No TLS' };
const DIALECT_LABEL: Record<string, string> = { mysql: 'MySQL', postgres: 'PostgreSQL', sqlite: 'SQLite' };

/** What the connection list shows about a server: where it is, a tag, and who Mailroom is there. */
export interface ServerInfo {
  readonly primary: string;
  readonly tag: string | null;
  readonly secondary: string | null;
}

/** The kind-specific server line of a connection, from its non-secret settings. */
export function serverInfo(c: ConnectionSummary): ServerInfo {
  const s = c.settings as Record<string, string | number | undefined>;
  const str = (k: string): string | null => (s[k] === undefined || s[k] === '' ? null : String(s[k]));
  switch (c.kind) {
    case 'imap':
      return { primary: `${str('host')}:${str('port')}`, tag: TLS_LABEL[str('tls') ?? ''] ?? str('tls'), secondary: str('user') };
    case 'postfixadmin': {
      // The hashing in effect: the site block's encrypt, else the older settings it replaces.
      const hashing = siteValues(c)['site.encrypt'] || 'default hashing';
      return s['dialect'] === 'sqlite'
        ? { primary: str('path') ?? '', tag: 'SQLite', secondary: hashing }
        : { primary: `${str('host')}${s['port'] ? `:${s['port']}` : ''}/${str('database')}`, tag: DIALECT_LABEL[str('dialect') ?? ''] ?? str('dialect'), secondary: `${str('user') ?? ''} · ${hashing}` };
    }
    case 'mailcow':
      return { primary: str('baseUrl') ?? '', tag: 'API key', secondary: null };
    case 'stalwart':
      return { primary: str('baseUrl') ?? '', tag: str('username') ? 'Password' : 'API key', secondary: str('username') };
    case 'google':
      return { primary: str('adminEmail') ?? '', tag: 'Service account', secondary: [str('customer') ?? 'my_customer', str('clientEmail')].filter(Boolean).join(' · ') };
    case 'microsoft':
      return { primary: `Tenant ${str('tenantId')}`, tag: 'App registration', secondary: `Client ${str('clientId')}` };
  }
}

/** One line of the capability matrix. */
export interface CapabilityRow {
  readonly area: string;
  readonly operation: string;
  readonly support: Support;
}

/** The probed capabilities as matrix rows, in the console's order. */
export function capabilityRows(caps: Capabilities): CapabilityRow[] {
  const row = (area: string, operation: string, support: Support): CapabilityRow => ({ area, operation, support });
  return [
    row('Domains', 'List', caps.domain.list),
    row('Domains', 'Create', caps.domain.create),
    row('Domains', 'Delete', caps.domain.remove),
    row('Domains', 'Alias domains', caps.domain.alias),
    row('Mailboxes', 'List', caps.mailbox.list),
    row('Mailboxes', 'Create', caps.mailbox.create),
    row('Mailboxes', 'Edit', caps.mailbox.update),
    row('Mailboxes', 'Delete', caps.mailbox.remove),
    row('Mailboxes', 'Suspend', caps.mailbox.suspend),
    row('Mailboxes', 'Reset password', caps.mailbox.setPassword),
    row('Mailboxes', 'Force change at first login', caps.mailbox.forcePasswordChange),
    row('Aliases', 'Manage', caps.alias.manage),
    row('Aliases', 'Catch-all', caps.alias.catchAll),
    row('Groups', 'Manage', caps.group.manage),
    row('Forwarding', caps.forward.needsConfirmation ? 'Set (target confirms)' : 'Set', caps.forward.set),
    row('Forwarding', 'Read for the routing view', caps.forward.read),
    row('Storage', 'Set quota', caps.quota.set),
    row('Storage', `Read usage (${caps.usage.freshness})`, caps.usage.read),
    row('DKIM', 'Platform generates the key', caps.dkim.generate),
    row('DKIM', 'Signs with a Mailroom key', caps.dkim.install),
    row('Security', 'Reads last login', caps.security.lastLogin),
    row('Security', 'Reads 2-Step Verification enforcement', caps.security.twoStepEnforcement),
    row('Security', 'Security defaults', caps.security.securityDefaults),
    row('Security', 'Spam thresholds', caps.security.spamThreshold),
  ];
}

/** Counts per support level, for the matrix's summary line. */
export function capabilityCounts(rows: readonly CapabilityRow[]): Readonly<Record<Support['level'], number>> {
  const counts = { native: 0, emulated: 0, 'needs-sidecar': 0, unsupported: 0 };
  for (const r of rows) counts[r.support.level] += 1;
  return counts;
}
