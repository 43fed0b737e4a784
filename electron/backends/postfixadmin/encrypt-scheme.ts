import { argon2, blowfishCrypt, shaCrypt, type HashOptions, type PasswordScheme } from './password-hash.ts';

/** How Mailroom writes passwords for one `$CONF['encrypt']` setting, or why it cannot. */
export type PasswordWriter =
  | { readonly ok: true; readonly encrypt: string; write(password: string): Promise<string> }
  | { readonly ok: false; readonly encrypt: string; readonly reason: string };

/** PostfixAdmin's default `encrypt`: md5crypt up to 3.3 (revision 1847), php_crypt (SHA-512) from 4.0. */
export function defaultEncrypt(revision: number | null): string {
  return revision !== null && revision >= 1848 ? 'php_crypt' : 'md5crypt';
}

/** The `encrypt` an older connection's `passwordScheme` stands for: Dovecot hashes with their prefix. */
export function encryptOfScheme(scheme: PasswordScheme): string {
  return `dovecot:${scheme}`;
}

const b64 = (s: string): string => Buffer.from(s, 'latin1').toString('base64');

// Dovecot schemes whose {SCHEME}-prefixed hashes PostfixAdmin verifies (3.3 through `doveadm pw -t`,
// 4.x natively) and that Mailroom can produce with the libraries it ships.
function dovecotWriter(scheme: string, options: HashOptions): ((pw: string) => Promise<string>) | null {
  switch (scheme) {
    case 'BLF-CRYPT':
      return async (pw) => `{BLF-CRYPT}${await blowfishCrypt(pw, options.bcryptRounds ?? 10)}`;
    case 'SHA512-CRYPT':
      return async (pw) => `{SHA512-CRYPT}${shaCrypt(pw, 512, options.sha512Rounds)}`;
    case 'SHA256-CRYPT':
      return async (pw) => `{SHA256-CRYPT}${shaCrypt(pw, 256)}`;
    case 'SHA512-CRYPT.B64':
      return async (pw) => `{SHA512-CRYPT.B64}${b64(shaCrypt(pw, 512, options.sha512Rounds))}`;
    case 'ARGON2I':
      return async (pw) => `{ARGON2I}${await argon2(pw, 'argon2i')}`;
    case 'ARGON2ID':
      return async (pw) => `{ARGON2ID}${await argon2(pw, 'argon2id')}`;
    default:
      return null;
  }
}

// php_crypt[:METHOD[:DIFFICULTY[:PREFIX]]]: PHP's crypt() with that salt; PostfixAdmin verifies any crypt()
// hash with the stored value as salt, after stripping a {PREFIX}.
function phpCryptWriter(spec: string, options: HashOptions): ((pw: string) => Promise<string>) | string {
  const [, method = 'SHA512', difficulty = '', prefix = ''] = spec.split(':');
  const level = difficulty === '' ? undefined : Number(difficulty);
  switch (method.toUpperCase()) {
    case 'SHA512':
    case 'SHA256': {
      if (level !== undefined && !(Number.isInteger(level) && level >= 1000 && level <= 999_999_999)) return `php_crypt rounds must be 1000–999999999, not "${difficulty}".`;
      const bits = method.toUpperCase() === 'SHA512' ? 512 : 256;
      return async (pw) => `${prefix}${shaCrypt(pw, bits, level ?? (bits === 512 ? options.sha512Rounds : undefined))}`;
    }
    case 'BLOWFISH': {
      if (level !== undefined && !(Number.isInteger(level) && level >= 4 && level <= 31)) return `php_crypt:BLOWFISH cost must be 4–31, not "${difficulty}".`;
      return async (pw) => `${prefix}${await blowfishCrypt(pw, level ?? 10)}`;
    }
    case 'MD5':
      return md5cryptReason;
    default:
      return `php_crypt method "${method}" is not one Mailroom writes (SHA512, SHA256 or BLOWFISH).`;
  }
}

const md5cryptReason =
  'This site hashes with md5crypt ($1$), which Mailroom cannot write (no MD5-crypt implementation ships with it). Set the password in PostfixAdmin, or switch the site to php_crypt, which still accepts the existing md5crypt passwords.';

/** Parses a site's `$CONF['encrypt']` into a password writer. */
export function passwordWriter(encrypt: string, options: HashOptions = {}): PasswordWriter {
  const value = encrypt.trim();
  const fail = (reason: string): PasswordWriter => ({ ok: false, encrypt: value, reason });
  const done = (write: (pw: string) => Promise<string>): PasswordWriter => ({ ok: true, encrypt: value, write });
  const lower = value.toLowerCase();
  if (lower === 'md5crypt' || lower === 'md5-crypt' || lower === 'dovecot:md5-crypt') return fail(md5cryptReason);
  // PHP's crypt() (and Dovecot's CRYPT scheme) take any modular crypt hash; SHA-512 is the strongest they share.
  if (lower === 'system') return done(async (pw) => shaCrypt(pw, 512, options.sha512Rounds));
  if (lower === 'sha512.b64' || lower === 'sha512crypt.b64') return done(async (pw) => `{SHA512-CRYPT.B64}${b64(shaCrypt(pw, 512, options.sha512Rounds))}`);
  if (lower.startsWith('php_crypt')) {
    const writer = phpCryptWriter(value, options);
    return typeof writer === 'string' ? fail(writer) : done(writer);
  }
  // dovecot:SCHEME (3.3 runs `doveadm pw`; 4.x computes it itself) and 4.x's bare scheme names (ARGON2ID, …).
  const scheme = (lower.startsWith('dovecot:') ? value.slice('dovecot:'.length) : value).toUpperCase();
  const writer = dovecotWriter(scheme, options);
  if (writer) return done(writer);
  if (['cleartext', 'plain', 'clear', 'md5', 'plain-md5', 'mysql_encrypt', 'authlib'].includes(lower.replace(/^dovecot:/, ''))) {
    return fail(`This site stores passwords as "${value}", which Mailroom does not write (it is unsalted, clear text or server-side); set the password in PostfixAdmin.`);
  }
  return fail(`"${value}" is not an encrypt scheme Mailroom can write (md5crypt is not supported; system, sha512.b64, php_crypt[:SHA512|SHA256|BLOWFISH], dovecot:BLF-CRYPT|SHA512-CRYPT|SHA256-CRYPT|ARGON2I|ARGON2ID and argon2i/argon2id are).`);
}
