import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { encrypt } from 'unixcrypt';
import { hash as argon2Hash, type Algorithm } from '@node-rs/argon2';

// Algorithm is an ambient const enum, unusable under isolatedModules: 1 is Argon2i, 2 is Argon2id.
const ARGON2I = 1 as Algorithm;
const ARGON2ID = 2 as Algorithm;

/** Dovecot schemes Mailroom writes with their `{SCHEME}` prefix (backends.md 5.6). */
export type PasswordScheme = 'BLF-CRYPT' | 'SHA512-CRYPT' | 'ARGON2ID';

/** The schemes older connections could name (`passwordScheme`); new ones name PostfixAdmin's `encrypt`. */
export const PASSWORD_SCHEMES: readonly PasswordScheme[] = ['BLF-CRYPT', 'SHA512-CRYPT', 'ARGON2ID'];

/** Cost settings; defaults follow PostfixAdmin's and Dovecot's own choices. */
export interface HashOptions {
  readonly bcryptRounds?: number;
  readonly sha512Rounds?: number;
}

const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random crypt(3) salt of `length` characters from crypt's own alphabet. */
export function cryptSalt(length = 16): string {
  const bytes = randomBytes(length);
  let salt = '';
  for (const b of bytes) salt += CRYPT_ALPHABET[b & 63];
  return salt;
}

/** SHA-crypt as libc and PHP's crypt() write it: `$6$salt$…` (SHA-512) or `$5$salt$…` (SHA-256). */
export function shaCrypt(password: string, bits: 256 | 512, rounds?: number): string {
  const id = bits === 512 ? '6' : '5';
  const setting = rounds && rounds !== 5000 ? `$${id}$rounds=${rounds}$${cryptSalt()}` : `$${id}$${cryptSalt()}`;
  return encrypt(password, setting);
}

/** bcrypt as PHP's password_hash() and Dovecot's crypt_blowfish write it (`$2y$`; the same algorithm as `$2b$`). */
export async function blowfishCrypt(password: string, cost = 10): Promise<string> {
  return (await bcrypt.hash(password, cost)).replace(/^\$2[ab]\$/, '$2y$');
}

/** Argon2 in PHC form with Dovecot 2.3's libsodium parameters (m=64 MiB, t=3, p=1); PHP's password_verify reads it too. */
export function argon2(password: string, variant: 'argon2i' | 'argon2id'): Promise<string> {
  return argon2Hash(password, { algorithm: variant === 'argon2i' ? ARGON2I : ARGON2ID, memoryCost: 65536, timeCost: 3, parallelism: 1 });
}

/** Hashes a password into the `{SCHEME}…` form Dovecot's passdb reads. */
export async function hashPassword(scheme: PasswordScheme, password: string, options: HashOptions = {}): Promise<string> {
  switch (scheme) {
    case 'BLF-CRYPT':
      return `{BLF-CRYPT}${await blowfishCrypt(password, options.bcryptRounds ?? 10)}`;
    case 'SHA512-CRYPT':
      return `{SHA512-CRYPT}${shaCrypt(password, 512, options.sha512Rounds)}`;
    case 'ARGON2ID':
      return `{ARGON2ID}${await argon2(password, 'argon2id')}`;
  }
}

/** True when `value` names a scheme Mailroom writes. */
export function isPasswordScheme(value: unknown): value is PasswordScheme {
  return typeof value === 'string' && (PASSWORD_SCHEMES as readonly string[]).includes(value);
}
