const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const SYMBOLS = '-_.!#%+=';

/** A random password from the Web Crypto generator: letters, digits and a few symbols, no look-alikes (0/O, 1/l). */
export function generatePassword(length = 20, random: (n: number) => ArrayLike<number> = (n) => crypto.getRandomValues(new Uint32Array(n))): string {
  const all = ALPHABET + SYMBOLS;
  const values = random(length);
  let out = '';
  for (let i = 0; i < length; i += 1) out += all[values[i]! % all.length];
  // Most platforms' policies want a digit, both cases and a symbol; a missing class replaces a
  // character whose own class has others left, so forcing one class never removes another.
  const need = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', SYMBOLS];
  const classOf = (c: string): number => need.findIndex((set) => set.includes(c));
  const chars = [...out];
  need.forEach((set, i) => {
    if (chars.some((c) => set.includes(c))) return;
    const counts = need.map((_, k) => chars.filter((c) => classOf(c) === k).length);
    const start = values[i % length]! % length;
    for (let k = 0; k < length; k += 1) {
      const at = (start + k) % length;
      if (counts[classOf(chars[at]!)]! > 1) {
        chars[at] = set[values[(i + 1) % length]! % set.length]!;
        return;
      }
    }
  });
  return chars.join('');
}

/** A rough strength label for a typed password. */
export function passwordStrength(password: string): 'empty' | 'weak' | 'fair' | 'strong' {
  if (password.length === 0) return 'empty';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length >= 14 && classes >= 3) return 'strong';
  if (password.length >= 10 && classes >= 2) return 'fair';
  return 'weak';
}
