import type { parseArgs } from './schemas.ts';

// The operations' validators are zod schemas: loading zod and building them costs ~0.1 s of CPU at start-up,
// which a command that never validates an operation (`standards evaluate`, `migrate --state`) need not pay.
let loaded: typeof parseArgs | null = null;
let loading: Promise<typeof parseArgs> | null = null;

/** The operations' argument validator (`parseArgs`), its schemas loaded on the first call and shared afterwards. */
export function argsParser(): Promise<typeof parseArgs> {
  loading ??= import('./schemas.ts').then((schemas) => (loaded = schemas.parseArgs));
  return loading;
}

/** The validator when an earlier call has loaded it (callers then go on without yielding); null before. */
export function loadedArgsParser(): typeof parseArgs | null {
  return loaded;
}
