import { PFA_SITE_KEYS, PFA_SITE_SETTINGS, siteYes } from '../../../shared/lib/pfa-site.ts';

// Named and valued as the site writes them in config.local.php; absent keys take PostfixAdmin 3.3's defaults.
/** The PostfixAdmin `$CONF` settings that decide what a second writer must do. */
export interface PfaSiteConfig {
  /** How passwords are hashed; absent: PostfixAdmin's default for the schema revision (md5crypt in 3.3). */
  readonly encrypt?: string;
  /** Bytes per "MB" in PostfixAdmin's forms (1 024 000). */
  readonly quota_multiplier?: number | string;
  /** Enforce mailbox quotas against the domain's maxquota (PostfixAdmin's default: NO). */
  readonly quota?: boolean | string;
  /** Also enforce the domain's total quota when `quota` is on (YES). */
  readonly domain_quota?: boolean | string;
  /** Passwords expire after the domain's `password_expiry` days (YES). */
  readonly password_expiration?: boolean | string;
  /** New domains: alias and mailbox limits (10 each; 0 unlimited, -1 disabled), per-mailbox maximum in MB (10). */
  readonly aliases?: number | string;
  readonly mailboxes?: number | string;
  readonly maxquota?: number | string;
  /** New domains: total quota in MB (2048). */
  readonly domain_quota_default?: number | string;
  /** New domains: transport (virtual). */
  readonly transport_default?: string;
}

/** The `$CONF` keys Mailroom reads from a site's configuration. */
export const SITE_CONFIG_KEYS = PFA_SITE_KEYS satisfies readonly (keyof PfaSiteConfig)[];

/** The settings resolved to values, defaults filled in. */
export interface SiteRules {
  readonly encrypt: string | null;
  readonly multiplier: number;
  readonly enforceQuota: boolean;
  readonly enforceDomainQuota: boolean;
  readonly passwordExpiration: boolean;
  readonly newDomain: { readonly aliases: number; readonly mailboxes: number; readonly maxquota: number; readonly quota: number; readonly transport: string; readonly passwordExpiry: number };
}

/** PostfixAdmin's default `$CONF['quota_multiplier']`: one "MB" in its forms is 1 024 000 bytes. */
export const DEFAULT_QUOTA_MULTIPLIER: number = PFA_SITE_SETTINGS.quota_multiplier.fallback;

function yes(key: 'quota' | 'domain_quota' | 'password_expiration', config: PfaSiteConfig): boolean {
  const value = config[key];
  return value === undefined ? PFA_SITE_SETTINGS[key].fallback : siteYes(value);
}

function int(value: number | string | undefined, fallback: number): number {
  const n = typeof value === 'number' ? value : value === undefined || value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

const newDomainInt = (key: 'aliases' | 'mailboxes' | 'maxquota' | 'domain_quota_default', config: PfaSiteConfig): number => int(config[key], PFA_SITE_SETTINGS[key].fallback);

/** Fills PostfixAdmin 3.3's defaults into a site's (partial) configuration. */
export function siteRules(config: PfaSiteConfig = {}, legacy: { encrypt?: string; quotaMultiplier?: number } = {}): SiteRules {
  const multiplier = int(config.quota_multiplier, legacy.quotaMultiplier ?? DEFAULT_QUOTA_MULTIPLIER);
  return {
    encrypt: config.encrypt?.trim() || legacy.encrypt || null,
    // PostfixAdmin treats a zero or non-numeric multiplier as 1.
    multiplier: multiplier > 0 ? multiplier : 1,
    enforceQuota: yes('quota', config),
    enforceDomainQuota: yes('domain_quota', config),
    passwordExpiration: yes('password_expiration', config),
    newDomain: {
      aliases: newDomainInt('aliases', config),
      mailboxes: newDomainInt('mailboxes', config),
      maxquota: newDomainInt('maxquota', config),
      quota: newDomainInt('domain_quota_default', config),
      transport: config.transport_default?.trim() || PFA_SITE_SETTINGS.transport_default.fallback,
      // DomainHandler's default for password_expiry, written whether or not expiration is on.
      passwordExpiry: 365,
    },
  };
}

// Later statements win, as in PHP; anything computed (function calls, arrays) is ignored.
/** Reads the scalar `$CONF['key'] = value;` statements of config.local.php for the keys Mailroom uses. */
export function parseSiteConfig(php: string): PfaSiteConfig {
  const out: Record<string, string> = {};
  const statement = /\$CONF\s*\[\s*(['"])([a-z_]+)\1\s*\]\s*=\s*(?:(['"])(.*?)\3|(-?\d+)|(true|false))\s*;/gi;
  for (const m of withoutComments(php).matchAll(statement)) {
    const key = m[2]!;
    if ((SITE_CONFIG_KEYS as readonly string[]).includes(key)) out[key] = m[4] ?? m[5] ?? m[6]!;
  }
  return out as PfaSiteConfig;
}

/** PHP source with its comments blanked out (`//`, `#` and `/* … *\/`), string literals kept. */
function withoutComments(php: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < php.length; i += 1) {
    const c = php[i]!;
    if (quote) {
      out += c;
      if (c === '\\') out += php[++i] ?? '';
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === '#' || (c === '/' && php[i + 1] === '/')) {
      while (i < php.length && php[i] !== '\n') i += 1;
      out += '\n';
    } else if (c === '/' && php[i + 1] === '*') {
      const end = php.indexOf('*/', i + 2);
      i = end < 0 ? php.length : end + 1;
      out += ' ';
    } else out += c;
  }
  return out;
}
