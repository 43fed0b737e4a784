const SYSTEM = new Set(['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft']);
// atom-specials (RFC 3501 §9) plus "]" which is not allowed in a flag keyword either.
// eslint-disable-next-line no-control-regex -- control characters are exactly what the class must reject
const BAD_KEYWORD = /[\s(){%*"\\\]\x00-\x1f\x7f]/;

/** Which of a message's flags the target keeps, and which it would refuse. */
export interface FlagFilter {
  readonly kept: string[];
  readonly dropped: string[];
}

/**
 * Filters flags for APPEND: never \Recent (server-controlled), no invented system flags such as
 * \Forwarded (servers answer BAD), and keywords only when the target's PERMANENTFLAGS list them
 * or contain "\*" (RFC 3501 §7.1). An unknown PERMANENTFLAGS means "assume the standard set + keywords".
 */
export function filterFlags(flags: Iterable<string>, permanent: ReadonlySet<string> | undefined): FlagFilter {
  const kept: string[] = [];
  const dropped: string[] = [];
  const anyKeyword = permanent === undefined || permanent.has('\\*');
  for (const flag of flags) {
    const lower = flag.toLowerCase();
    if (lower === '\\recent') continue;
    if (flag.startsWith('\\')) {
      if (SYSTEM.has(lower) && (anyKeyword || permits(permanent, flag, lower))) kept.push(flag);
      else dropped.push(flag);
      continue;
    }
    if (flag.length === 0 || BAD_KEYWORD.test(flag)) {
      dropped.push(flag);
      continue;
    }
    if (anyKeyword || permits(permanent, flag, lower)) kept.push(flag);
    else dropped.push(flag);
  }
  return { kept, dropped };
}

// True when PERMANENTFLAGS lists the flag in any case; looked up as sent first, so a set is not lower-cased per message.
function permits(permanent: ReadonlySet<string>, flag: string, lower: string): boolean {
  if (permanent.has(flag) || permanent.has(lower)) return true;
  for (const p of permanent) if (p.toLowerCase() === lower) return true;
  return false;
}
