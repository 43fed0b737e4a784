// Named and valued as a PostfixAdmin site writes them in config.local.php; defaults are PostfixAdmin 3.3's.

/** The `$CONF` keys Mailroom reads from a PostfixAdmin site's configuration, in the order the console shows them. */
export const PFA_SITE_KEYS = [
  'encrypt',
  'quota_multiplier',
  'quota',
  'domain_quota',
  'password_expiration',
  'aliases',
  'mailboxes',
  'maxquota',
  'domain_quota_default',
  'transport_default',
] as const;

/** One of PFA_SITE_KEYS. */
export type PfaSiteKey = (typeof PFA_SITE_KEYS)[number];

/** How one site setting is written and what PostfixAdmin assumes when the site leaves it out. */
export type PfaSiteSetting =
  | { readonly type: 'text'; readonly fallback: string | null }
  | { readonly type: 'integer'; readonly min: number; readonly fallback: number }
  | { readonly type: 'yesno'; readonly fallback: boolean };

/** Every site setting's type and PostfixAdmin 3.3's default (encrypt: null, the schema revision decides). */
export const PFA_SITE_SETTINGS = {
  encrypt: { type: 'text', fallback: null },
  // PostfixAdmin's forms count one "MB" as 1,024,000 bytes.
  quota_multiplier: { type: 'integer', min: 1, fallback: 1_024_000 },
  quota: { type: 'yesno', fallback: false },
  domain_quota: { type: 'yesno', fallback: true },
  password_expiration: { type: 'yesno', fallback: true },
  // Limits of new domains: 0 is unlimited, -1 disables (PostfixAdmin's domain form).
  aliases: { type: 'integer', min: -1, fallback: 10 },
  mailboxes: { type: 'integer', min: -1, fallback: 10 },
  maxquota: { type: 'integer', min: -1, fallback: 10 },
  domain_quota_default: { type: 'integer', min: -1, fallback: 2048 },
  transport_default: { type: 'text', fallback: 'virtual' },
} as const satisfies Readonly<Record<PfaSiteKey, PfaSiteSetting>>;

const MAX_INT = 2_147_483_647;
const YES = /^(yes|y|true|1|on)$/i;
const YES_OR_NO = /^(yes|y|true|1|on|no|n|false|0|off)$/i;

/** Whether a yes/no setting as written (YES, no, true, 1, …) means yes. */
export function siteYes(value: boolean | string): boolean {
  return typeof value === 'boolean' ? value : YES.test(value.trim());
}

/** Why `value` is not one PostfixAdmin takes for the setting `key`, or null when it is. */
export function siteValueProblem(key: PfaSiteKey, value: string | number | boolean): string | null {
  const setting: PfaSiteSetting = PFA_SITE_SETTINGS[key];
  const text = String(value).trim();
  switch (setting.type) {
    case 'yesno':
      return typeof value === 'boolean' || YES_OR_NO.test(text) ? null : `${key} is YES or NO, not "${text.slice(0, 40)}"`;
    case 'integer': {
      const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
      return Number.isSafeInteger(n) && n >= setting.min && n <= MAX_INT ? null : `${key} is a whole number from ${setting.min} to ${MAX_INT}, not "${text.slice(0, 40)}"`;
    }
    case 'text':
      if (typeof value !== 'string' || text === '') return `${key} is text and cannot be empty`;
      // A value goes back into PHP's quotes in the admin's head and in config.local.php: one line, no quotes.
      return /^[^\s'"\\]{1,100}$/.test(text) ? null : `${key} is one word without spaces or quotes (at most 100 characters), not "${text.slice(0, 40)}"`;
  }
}
