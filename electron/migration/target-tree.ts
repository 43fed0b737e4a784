import type { ImapFlow } from 'imapflow';
import { imapQuote } from '../imap/syntax.ts';
import type { FetchConnection } from './fetch-connection.ts';
import { encodeMutf7 } from '../imap/mutf7.ts';

/** What the copy needs to know of each target folder before the first upload. */
export interface TargetTree {
  /** PERMANENTFLAGS by target folder (undefined: the server listed none); folders not here are asked later. */
  readonly permanentFlags: Map<string, ReadonlySet<string> | undefined>;
  /** Messages in each target folder as its SELECT reported; undefined where it could not be selected. */
  readonly exists: Map<string, number | undefined>;
}

/**
 * Creates (and subscribes) the target folders that do not exist yet and reads every target
 * folder's PERMANENTFLAGS, all pipelined on one raw connection: one round trip for the whole tree
 * (imapflow waits for each answer; 23 folders through a 10 ms link cost a second that way). Without
 * a raw connection, folders are created one by one through imapflow and flags are read per folder later.
 */
export async function prepareTargetTree(
  raw: FetchConnection | null,
  target: () => Promise<ImapFlow>,
  paths: readonly string[],
  missing: readonly string[],
  warnings: string[],
): Promise<TargetTree> {
  const permanentFlags = new Map<string, ReadonlySet<string> | undefined>();
  const exists = new Map<string, number | undefined>();
  const created = raw ? raw.pipeline(missing.flatMap((p) => [`CREATE ${imapQuote(encodeMutf7(p))}`, `SUBSCRIBE ${imapQuote(encodeMutf7(p))}`])).catch(() => null) : null;
  // SELECT, not EXAMINE: on a read-only open a server may list no PERMANENTFLAGS at all.
  const selected = raw ? raw.examineMany(paths, 'SELECT').catch(() => null) : null;
  const answers = await created;
  for (const [i, p] of missing.entries()) {
    const answer = answers?.[i * 2];
    if (answer && (answer.status === 'OK' || /exist/i.test(answer.text))) continue;
    if (answer) {
      warnings.push(`create ${p}: ${answer.text}`);
      continue;
    }
    const client = await target();
    await client.mailboxCreate(p).catch((e: unknown) => {
      // ALREADYEXISTS races with another client are fine; anything else surfaces at APPEND time.
      if (!/exist/i.test(String((e as { responseText?: string }).responseText ?? e))) warnings.push(`create ${p}: ${String((e as Error).message)}`);
    });
    await client.mailboxSubscribe(p).catch(() => undefined);
  }
  const states = await selected;
  for (const path of paths) {
    const state = states?.get(path);
    exists.set(path, state?.exists);
    if (state) permanentFlags.set(path, state.permanentFlags ? new Set(state.permanentFlags) : undefined);
  }
  return { permanentFlags, exists };
}
