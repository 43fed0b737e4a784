import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import { PFA_SITE_KEYS, PFA_SITE_SETTINGS, siteValueProblem, siteYes, type PfaSiteKey, type PfaSiteSetting } from '../../../shared/lib/pfa-site.ts';

/** One setting of a PostfixAdmin site as the edit form shows it. */
export interface SiteField {
  readonly key: PfaSiteKey;
  /** The form value's name: `site.` and the `$CONF` key. */
  readonly name: string;
  readonly label: string;
  readonly hint: string;
  /** YES/NO settings are a choice; the first choice (empty) leaves the site's default, so they need no hint. */
  readonly choices?: readonly { readonly value: string; readonly label: string }[];
}

const LABEL: Readonly<Record<PfaSiteKey, string>> = {
  encrypt: 'Password hashing (encrypt)',
  quota_multiplier: 'Bytes per MB (quota_multiplier)',
  quota: 'Enforce mailbox quotas (quota)',
  domain_quota: 'Enforce domain total quotas (domain_quota)',
  password_expiration: 'Passwords expire (password_expiration)',
  aliases: 'Aliases per new domain (aliases)',
  mailboxes: 'Mailboxes per new domain (mailboxes)',
  maxquota: 'Largest mailbox of a new domain, MB (maxquota)',
  domain_quota_default: 'Total quota of a new domain, MB (domain_quota_default)',
  transport_default: 'Transport of new domains (transport_default)',
};

const NOTE: Partial<Record<PfaSiteKey, string>> = {
  encrypt: 'As config.local.php has it: sha512.b64, php_crypt:SHA512, dovecot:BLF-CRYPT, argon2id, system… ',
  aliases: '0 is unlimited, -1 none. ',
  mailboxes: '0 is unlimited, -1 none. ',
  maxquota: '0 is unlimited, -1 disables quotas. ',
  domain_quota_default: '0 is unlimited. ',
};

const yesNo = (value: boolean): string => (value ? 'YES' : 'NO');

function fallbackText(key: PfaSiteKey): string {
  const setting: PfaSiteSetting = PFA_SITE_SETTINGS[key];
  if (setting.type === 'yesno') return yesNo(setting.fallback);
  if (setting.type === 'integer') return String(setting.fallback);
  return setting.fallback ?? "PostfixAdmin's default for the database's version (md5crypt in 3.3, which Mailroom cannot write)";
}

/** The site settings in the order the form shows them, each with PostfixAdmin's default in its hint. */
export const SITE_FIELDS: readonly SiteField[] = PFA_SITE_KEYS.map((key) => {
  const fallback = fallbackText(key);
  const yesno = PFA_SITE_SETTINGS[key].type === 'yesno';
  return {
    key,
    name: `site.${key}`,
    label: LABEL[key],
    hint: yesno ? '' : `${NOTE[key] ?? ''}Empty: ${fallback}.`,
    ...(yesno ? { choices: [{ value: '', label: `Site default (${fallback})` }, { value: 'YES', label: 'YES' }, { value: 'NO', label: 'NO' }] } : {}),
  };
});

/** The older top-level settings a site block replaces: `site.encrypt` and `site.quota_multiplier` win over them. */
const FOLDED = ['encrypt', 'passwordScheme', 'quotaMultiplier'] as const;

/** The site block in effect, each value as the form writes it: the stored `site`, with the older settings folded in. */
export function siteValues(c: ConnectionSummary): Record<string, string> {
  const site = (typeof c.settings['site'] === 'object' && c.settings['site'] !== null ? c.settings['site'] : {}) as Readonly<Record<string, string | number | boolean>>;
  const scheme = c.settings['passwordScheme'];
  const legacy: Partial<Record<PfaSiteKey, unknown>> = {
    encrypt: c.settings['encrypt'] ?? (typeof scheme === 'string' ? `dovecot:${scheme}` : undefined),
    quota_multiplier: c.settings['quotaMultiplier'],
  };
  const values: Record<string, string> = {};
  for (const f of SITE_FIELDS) {
    const value = site[f.key] ?? legacy[f.key];
    values[f.name] = value === undefined || value === null ? '' : f.choices ? yesNo(siteYes(value as string | boolean)) : String(value);
  }
  return values;
}

/** The settings an edit of the site block sends (the whole block; the older settings cleared), nothing when it is unchanged. */
export function siteEdit(
  c: ConnectionSummary,
  values: Readonly<Record<string, string>>,
): { readonly settings: Record<string, Record<string, string | number> | null> } | { readonly error: string; readonly field: string } | null {
  const before = siteValues(c);
  if (SITE_FIELDS.every((f) => (values[f.name] ?? '').trim() === before[f.name])) return null;
  const site: Record<string, string | number> = {};
  for (const f of SITE_FIELDS) {
    const typed = (values[f.name] ?? '').trim();
    if (typed === '') continue;
    const problem = siteValueProblem(f.key, typed);
    // Shown under the field itself, so the label is not repeated; the message starts with the $CONF key.
    if (problem) return { error: `${problem}.`, field: f.name };
    site[f.key] = PFA_SITE_SETTINGS[f.key].type === 'integer' ? Number(typed) : typed;
  }
  const cleared = Object.fromEntries(FOLDED.filter((k) => c.settings[k] !== undefined).map((k) => [k, null]));
  return { settings: { ...cleared, site: Object.keys(site).length > 0 ? site : null } };
}
