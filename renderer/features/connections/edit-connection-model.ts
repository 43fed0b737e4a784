import type { ConnectionEdit, ConnectionKind, ConnectionSummary } from '../../../shared/domain/connection.ts';
import { siteEdit, siteValues } from './site-settings-model.ts';

/** The label of each kind's secret when it is re-entered. */
export const SECRET_LABEL: Readonly<Record<ConnectionKind, string>> = {
  imap: 'New password',
  postfixadmin: 'New SQL password',
  mailcow: 'New API key',
  stalwart: 'New password or API key',
  google: 'New service-account JSON key',
  microsoft: 'New client secret',
};

const LABELS: Readonly<Record<string, string>> = {
  host: 'Host',
  port: 'Port',
  tls: 'TLS mode',
  user: 'User name',
  pinnedFingerprint: 'Trusted certificate fingerprint (SHA-256)',
  sievePort: 'ManageSieve port (Sieve forwards; empty: 4190)',
  dialect: 'SQL dialect',
  database: 'Database',
  path: 'SQLite file',
  baseUrl: 'URL',
  username: 'Admin user name',
  adminEmail: 'Admin email',
  customer: 'Customer id',
  rootUrl: 'Directory API URL',
  gmailRootUrl: 'Gmail API URL',
  tenantId: 'Tenant id',
  clientId: 'Client id',
  licenseSkuId: 'License SKU id',
  usageLocation: 'Usage location',
  authorityHost: 'Authority host',
  graphBaseUrl: 'Graph URL',
};

// Derived settings are not edited: clientEmail comes from the key. A PostfixAdmin site block (with the older
// encrypt, passwordScheme and quotaMultiplier it replaces) has its own section: site-settings-model.ts.
const NOT_EDITABLE = new Set(['clientEmail', 'site', 'allowPlaintext', 'encrypt', 'passwordScheme', 'quotaMultiplier']);

/** The settings of each kind an edit form offers, in order; a stored setting not listed follows them. */
const FIELDS: Readonly<Record<ConnectionKind, readonly string[]>> = {
  imap: ['host', 'port', 'tls', 'user', 'pinnedFingerprint', 'sievePort'],
  postfixadmin: ['dialect', 'host', 'port', 'database', 'user', 'path'],
  mailcow: ['baseUrl'],
  stalwart: ['baseUrl', 'username'],
  google: ['adminEmail', 'customer', 'rootUrl', 'gmailRootUrl'],
  microsoft: ['tenantId', 'clientId', 'licenseSkuId', 'usageLocation', 'authorityHost', 'graphBaseUrl'],
};

/** One editable setting: its key, label and value as typed. */
export interface EditField {
  readonly key: string;
  readonly label: string;
  readonly numeric: boolean;
}

/** The fields the edit form shows for a connection. */
export function editFields(c: ConnectionSummary): EditField[] {
  const keys = [...FIELDS[c.kind], ...Object.keys(c.settings).filter((k) => !FIELDS[c.kind].includes(k) && !NOT_EDITABLE.has(k) && typeof c.settings[k] !== 'object')];
  return keys.map((key) => ({ key, label: LABELS[key] ?? key, numeric: key === 'port' || key === 'sievePort' || typeof c.settings[key] === 'number' }));
}

const SQL_SERVER_ONLY = new Set(['host', 'port', 'database', 'user', 'secret']);

/** Whether the form shows a field (or the secret) with these values: a PostfixAdmin database on SQLite has a file, not a server or password. */
export function fieldShown(c: ConnectionSummary, key: string, values: Readonly<Record<string, string>>): boolean {
  if (c.kind !== 'postfixadmin') return true;
  return values['dialect'] === 'sqlite' ? !SQL_SERVER_ONLY.has(key) : key !== 'path';
}

/** The form's starting values: every setting as a string, the name, and an empty secret. */
export function editValues(c: ConnectionSummary): Record<string, string> {
  const values: Record<string, string> = { name: c.name, secret: '' };
  for (const f of editFields(c)) values[f.key] = c.settings[f.key] === undefined || c.settings[f.key] === null ? '' : String(c.settings[f.key]);
  return c.kind === 'postfixadmin' ? { ...values, ...siteValues(c) } : values;
}

/** Only what changed: a cleared field removes its setting, a blank secret keeps the stored one. */
export function editOf(c: ConnectionSummary, values: Readonly<Record<string, string>>): ConnectionEdit | { readonly error: string; readonly field?: string } {
  const settings: Record<string, NonNullable<ConnectionEdit['settings']>[string]> = {};
  for (const f of editFields(c)) {
    const typed = (values[f.key] ?? '').trim();
    const stored = c.settings[f.key];
    if (typed === (stored === undefined || stored === null ? '' : String(stored))) continue;
    if (typed === '') settings[f.key] = null;
    else if (f.numeric) {
      if (!/^\d+$/.test(typed)) return { error: `${f.label}: enter a whole number.`, field: f.key };
      settings[f.key] = Number(typed);
    } else settings[f.key] = typed;
  }
  const site = c.kind === 'postfixadmin' ? siteEdit(c, values) : null;
  if (site && 'error' in site) return site;
  if (site) Object.assign(settings, site.settings);
  const name = (values['name'] ?? '').trim();
  if (name === '') return { error: 'Enter a name.', field: 'name' };
  const secret = values['secret'] ?? '';
  // Choosing TLS "none" in this form shows the warning first, as the add form does: that is the consent.
  const plaintext = settings['tls'] === 'none' || (typeof settings['baseUrl'] === 'string' && settings['baseUrl'].startsWith('http://'));
  return {
    ...(name !== c.name ? { name } : {}),
    ...(Object.keys(settings).length > 0 ? { settings } : {}),
    ...(secret !== '' ? { secret } : {}),
    ...(plaintext ? { allowPlaintext: true } : {}),
  };
}
