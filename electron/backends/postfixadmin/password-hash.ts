import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { encrypt } from 'unixcrypt';
import { hash as argon2Hash, type Algorithm } from '@node-rs/argon2';

// Algorithm is an ambient const enum, unusable under isolatedModules; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** Hash schemes Mailroom writes; Dovecot verifies each from the `{SCHEME}` prefix (backends.md 5.6). */
export type PasswordScheme = 'BLF-CRYPT' | 'SHA512-CRYPT' | 'ARGON2ID';

/** Every scheme Mailroom can write. */
export const PASSWORD_SCHEMES: readonly PasswordScheme[] = ['BLF-CRYPT', 'SHA512-CRYPT', 'ARGON2ID'];

/** Cost settings; defaults follow PostfixAdmin's and Dovecot's own choices. */
export interface HashOptions {
  readonly bcryptRounds?: number;
  readonly sha512Rounds?: number;
}

/** Hashes a password into the `{SCHEME}…` form Dovecot's passdb and PostfixAdmin both read. */
export async function hashPassword(scheme: PasswordScheme, password: string, options: HashOptions = {}): Promise<string> {
  switch (scheme) {
    case 'BLF-CRYPT': {
      const hashed = await bcrypt.hash(password, options.bcryptRounds ?? 10);
      // PHP's password_hash() and Dovecot's crypt_blowfish write $2y$; the algorithm is the same as $2b$.
      return `{BLF-CRYPT}${hashed.replace(/^\$2[ab]\$/, '$2y$')}`;
    }
    case 'SHA512-CRYPT': {
      const rounds = options.sha512Rounds;
      const salt = randomBytes(12).toString('base64').replace(/\+/g, '.').replace(/=/g, '').slice(0, 16);
      const setting = rounds && rounds !== 5000 ? `$6$rounds=${rounds}$${salt}` : `$6$${salt}`;
      return `{SHA512-CRYPT}${encrypt(password, setting)}`;
    }
    case 'ARGON2ID': {
      // Dovecot 2.3's libsodium defaults (m=64 MiB, t=3, p=1), as in PostfixAdmin's DOCUMENTS/HASHING.md.
      const hashed = await argon2Hash(password, { algorithm: ARGON2ID, memoryCost: 65536, timeCost: 3, parallelism: 1 });
      return `{ARGON2ID}${hashed}`;
    }
  }
}

/** True when `value` names a scheme Mailroom writes. */
export function isPasswordScheme(value: unknown): value is PasswordScheme {
  return typeof value === 'string' && (PASSWORD_SCHEMES as readonly string[]).includes(value);
}
