// The copy engine's module graph, in parts: one `import()` of the whole graph runs start to end
// without yielding, so sessions started before it (early-sessions.ts) would not advance meanwhile.
const PARTS = [
  () => import('../db/state-database.ts'),
  () => import('./mailbox-copy.ts'),
  () => import('./delta-run.ts'),
  () => import('./verify.ts'),
  () => import('./target-pool.ts'),
  () => import('./migrate-job.ts'),
];

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Loads what a `--state FILE` run needs (state database, copy engine), one part per turn of the event
 * loop, so the TLS handshakes and logins of sessions already started progress between the parts.
 */
export async function loadCopyEngine(): Promise<{ openCurrentStateDatabase: typeof import('../db/state-database.ts').openCurrentStateDatabase; copyMailbox: typeof import('./mailbox-copy.ts').copyMailbox }> {
  for (const part of PARTS) {
    await part();
    await turn();
  }
  const [{ openCurrentStateDatabase }, { copyMailbox }] = await Promise.all([import('../db/state-database.ts'), import('./mailbox-copy.ts')]);
  return { openCurrentStateDatabase, copyMailbox };
}
