import type { FetchConnection } from './fetch-connection.ts';
import type { FolderStatus } from './folder-status.ts';
import type { Run } from './migrate-job.ts';
import { listFolders, type FolderListing, type StatusItem } from './raw-listing.ts';
import type { ClientHolder } from './run-clients.ts';

// Both sides' listings for a run: on its raw sessions (raw-listing.ts), so the full path logs in
// through imapflow only for what still needs it (reconciliation reads, verification fallbacks). A
// side without a raw session (a dry run, a raw login that failed for a retryable reason) or whose
// raw session dropped while listing is listed through imapflow, as before.

/** One side's listing and what the server offers. */
export interface SideListing extends FolderListing {
  readonly capabilities: ReadonlySet<string>;
}

/** Counts for the verification report, per path. */
export interface Recount {
  readonly source: ReadonlyMap<string, FolderStatus | undefined>;
  readonly target: ReadonlyMap<string, FolderStatus | undefined>;
}

/**
 * Lists the source (count, UIDNEXT, UIDVALIDITY, and HIGHESTMODSEQ where it offers CONDSTORE) and the
 * target (count) at once. The source is listed on `rawSource` once `probing` (the quiet check's
 * commands on that session) is answered, so no answer of one reaches the other's collector.
 */
export async function listBothSides(run: Run, rawSource: Promise<FetchConnection | null>, probing: Promise<unknown>): Promise<{ source: SideListing; target: SideListing }> {
  // A refused target login is final here, as it was when imapflow's login waited for it.
  const rawTarget = run.options.dryRun ? Promise.resolve(null) : run.fetchers.targetRaw().then((c) => (run.fetchers.assertTargetUsable(), c));
  const source = rawSource.then(async (conn) => {
    await probing.catch(() => undefined);
    return onRaw(conn, run.source, sourceItems, false, run.options.includeShared ?? false);
  });
  const target = rawTarget.then((conn) => onRaw(conn, run.target, () => ['MESSAGES'], false, false));
  // allSettled: when one side fails, the other's connection is still held and closed at the end.
  const [s, t] = await Promise.allSettled([source, target]);
  if (s.status === 'rejected') throw s.reason;
  if (t.status === 'rejected') throw t.reason;
  if ((run.options.includeShared ?? false) && sharedLeftOut(s.value)) run.warnings.push(sharedUnlisted(s.value.namespace.prefix));
  return { source: s.value, target: t.value };
}

// Listed through imapflow (no raw session: a dry run without shared folders, a raw login that failed), whose LIST takes the
// personal prefix as the reference: where that prefix is not empty, announced other namespaces were not listed.
function sharedLeftOut(listing: SideListing): boolean {
  const { other, shared } = listing.namespaces;
  return listing.listedNames === undefined && listing.namespace.prefix !== '' && [...(other || []), ...(shared || [])].length > 0;
}

function sharedUnlisted(prefix: string): string {
  return `shared folders were asked for, but this run listed the source through a client that lists only under the personal prefix "${prefix}" (its own session to the source could not be used): other users' and shared folders are not in it`;
}

/** Source and target counts again at the end of a run, for the per-folder report; a borrowed raw source session and the raw target one. */
export async function recount(run: Run): Promise<Recount> {
  const source = (async () => {
    const conn = await run.fetchers.borrow().catch(() => null);
    try {
      return statusOf(await onRaw(conn, run.source, () => ['MESSAGES', 'UIDVALIDITY'], true, run.options.includeShared ?? false));
    } finally {
      if (conn) run.fetchers.giveBack(conn);
    }
  })();
  const target = run.fetchers.targetRaw().then(async (conn) => statusOf(await onRaw(conn, run.target, () => ['MESSAGES'], true, false)));
  // allSettled: a side that fails while the other is still listed must not go unawaited (an unhandled rejection ends the CLI).
  const [s, t] = await Promise.allSettled([source, target]);
  if (s.status === 'rejected') throw s.reason;
  if (t.status === 'rejected') throw t.reason;
  return { source: s.value, target: t.value };
}

function sourceItems(caps: ReadonlySet<string>): StatusItem[] {
  // HIGHESTMODSEQ (RFC 7162) lets a folder whose flags changed be told from an unchanged one.
  return caps.has('CONDSTORE') || caps.has('QRESYNC') ? ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY', 'HIGHESTMODSEQ'] : ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY'];
}

// The listing on the raw session; through imapflow when there is none or it dropped (a refusal of LIST
// itself is not retried). `shared`: other users' and shared namespaces too, which imapflow's listing
// (its personal prefix as the reference) reaches only where that prefix is empty.
async function onRaw(conn: FetchConnection | null, flow: ClientHolder, items: (caps: ReadonlySet<string>) => StatusItem[], unselect: boolean, shared: boolean): Promise<SideListing> {
  if (conn?.alive) {
    try {
      return { ...(await listFolders(conn, items(conn.capabilities), unselect, shared)), capabilities: conn.capabilities };
    } catch (error) {
      if ((error as { responseStatus?: string }).responseStatus !== undefined || conn.alive) throw error;
    }
  }
  return viaImapflow(flow, items);
}

async function viaImapflow(holder: ClientHolder, items: (caps: ReadonlySet<string>) => StatusItem[]): Promise<SideListing> {
  const client = await holder.get();
  const capabilities = new Set(client.capabilities.keys());
  const asked = new Set(items(capabilities));
  // Dovecot answers STATUS for the session's selected mailbox from its own, possibly older view.
  if (client.mailbox) await client.mailboxClose();
  const folders = await client.list({ statusQuery: { messages: asked.has('MESSAGES'), uidNext: asked.has('UIDNEXT'), uidValidity: asked.has('UIDVALIDITY'), highestModseq: asked.has('HIGHESTMODSEQ') } });
  const n = client.namespaces as { personal?: FolderListing['namespaces']['personal']; other?: FolderListing['namespaces']['other']; shared?: FolderListing['namespaces']['shared'] } | undefined;
  return {
    folders,
    namespaces: { personal: n?.personal?.length ? n.personal : [{ prefix: '', delimiter: null }], other: n?.other ?? false, shared: n?.shared ?? false },
    namespace: { prefix: client.namespace?.prefix ?? '', delimiter: client.namespace?.delimiter ?? null },
    capabilities,
  };
}

function statusOf(listing: SideListing): Map<string, FolderStatus | undefined> {
  return new Map(listing.folders.map((f) => [f.path, f.status]));
}
