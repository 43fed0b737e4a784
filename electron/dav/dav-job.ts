import { createHash } from 'node:crypto';
import type { DavCollectionInfo, DavCollectionKind, DavCopyProgress, DavCopyReport } from '../../shared/domain/dav.ts';
import type { Db } from '../db/database.ts';
import { openDavAccount, type DavAccount, type DavEndpoint } from './dav-client.ts';
import { copyCollection, lastSegment, type CollectionCopyResult } from './dav-collection-copy.ts';
import { DavState } from './dav-state.ts';
import { WriteSlots } from './write-slots.ts';

// Collections copied side by side, as vdirsyncer syncs its collections: one collection's listing, read-back and tag
// requests overlap another's writes, and a small collection does not wait for a large one.
const COLLECTIONS_AT_ONCE = 4;
// Writes in flight across those collections. Radicale serialises PUTs under one lock, yet four in flight beat one at a
// time (bench/dav README): the client's parsing, comparing and connection set-up overlap the server's lock time.
const WRITES_IN_FLIGHT = 4;

/** What to move: calendars, address books or both. */
export interface DavCopyOptions {
  readonly calendars: boolean;
  readonly contacts: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DavCopyProgress) => void;
}

/** The job id of an account pair: the same pair always resumes the same state. */
export function davJobId(source: Pick<DavEndpoint, 'user' | 'url'>, target: Pick<DavEndpoint, 'user' | 'url'>): string {
  const name = (e: Pick<DavEndpoint, 'user' | 'url'>): string => `${e.user}@${new URL(e.url).host}${new URL(e.url).pathname}`;
  return `dav-${createHash('sha256').update(`${name(source)}\n${name(target)}`).digest('hex').slice(0, 24)}`;
}

/**
 * Copies an account's calendars and address books to another account: each source collection to
 * the target collection it was mapped to before, else the one of the same kind and display name,
 * else a new one with the same name, description, colour, time zone and component set.
 */
export async function copyDavAccount(db: Db, endpoints: { source: DavEndpoint; target: DavEndpoint }, options: DavCopyOptions): Promise<DavCopyReport> {
  const [source, target] = await bothOrSourceError(openDavAccount(endpoints.source), openDavAccount(endpoints.target));
  return copyAccounts(db, { source, target }, options);
}

/** Copies between any two opened accounts (a DAV server, Google Workspace, Microsoft 365): the same engine, state and report. */
export async function copyAccounts(db: Db, accounts: { source: DavAccount; target: DavAccount }, options: DavCopyOptions): Promise<DavCopyReport> {
  const { source, target } = accounts;
  const endpoints = { source: source.endpoint, target: target.endpoint };
  const state = new DavState(db, davJobId(endpoints.source, endpoints.target));
  const wanted = (kind: DavCollectionKind): boolean => (kind === 'calendar' ? options.calendars : options.contacts);
  const [sourceAll, targetAll] = await bothOrSourceError(source.collections(), target.collections());
  const sourceCollections = sourceAll.filter((c) => wanted(c.kind));
  const targetCollections = targetAll.filter((c) => wanted(c.kind));
  const results: CollectionCopyResult[] = [];
  const writes = new WriteSlots(WRITES_IN_FLIGHT);
  // The first collection to fail stops the others at their next batch; the job ends once none is still writing.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  // Targets are found or created one collection at a time in source order, so names taken and display names matched
  // resolve exactly as one after another (a second "Work" maps onto the first one's new collection).
  let mapping: Promise<unknown> = Promise.resolve();
  const targetOf = (collection: DavCollectionInfo): Promise<{ url: string; created: boolean }> => {
    const mapped = mapping.then(async () => {
      const stored = state.collection(collection.url)?.targetUrl;
      return stored ? { url: stored, created: false } : await targetFor(target, collection, targetCollections);
    });
    mapping = mapped.catch(() => undefined);
    return mapped;
  };
  const copying = new Map<string, Promise<unknown>>();
  let next = 0;
  let finished = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < sourceCollections.length; index = next++) {
      signal.throwIfAborted();
      const collection = sourceCollections[index]!;
      const { url: targetUrl, created } = await targetOf(collection);
      // Source collections mapped onto one target collection (same kind and display name) are copied one after the other.
      const copy = (copying.get(targetUrl) ?? Promise.resolve()).then(() =>
        copyCollection({
          source,
          target,
          collection,
          targetUrl,
          created,
          state,
          writes,
          signal,
          onItem: (counts) => options.onProgress?.({ collection: collection.displayName, collectionsDone: finished, collectionsTotal: sourceCollections.length, ...counts }),
        }),
      );
      copying.set(targetUrl, copy.catch(() => undefined));
      results[index] = await copy;
      finished++;
    }
  };
  const workers = Array.from({ length: Math.min(COLLECTIONS_AT_ONCE, sourceCollections.length) }, () =>
    worker().catch((error: unknown) => {
      stop.abort(error);
      throw error;
    }),
  );
  const failed = (await Promise.allSettled(workers)).find((w) => w.status === 'rejected');
  if (failed) throw failed.reason;
  const reports = results.map((r) => r.report);
  const failures = results.flatMap((r) => r.failures);
  const warnings = results.flatMap((r) => r.warnings);
  const side = (e: Pick<DavEndpoint, 'user' | 'url'>): string => `${e.user} at ${e.url}`;
  return { source: side(endpoints.source), target: side(endpoints.target), collections: reports, failures, warnings, complete: failures.length === 0 };
}

/** Both sides at once (discovery is round trips, not work); when both fail, the source's error is the one reported. */
export async function bothOrSourceError<T>(source: Promise<T>, target: Promise<T>): Promise<[T, T]> {
  const [s, t] = await Promise.allSettled([source, target]);
  if (s.status === 'rejected') throw s.reason;
  if (t.status === 'rejected') throw t.reason;
  return [s.value, t.value];
}

// The target collection a source collection goes to on its first pass, and whether it was made just now.
async function targetFor(target: DavAccount, collection: DavCollectionInfo, existing: DavCollectionInfo[]): Promise<{ url: string; created: boolean }> {
  const same = existing.find((c) => c.kind === collection.kind && c.displayName === collection.displayName);
  if (same) return { url: same.url, created: false };
  const taken = new Set(existing.map((c) => lastSegment(c.url)));
  const wantedName = lastSegment(collection.url) || collection.kind;
  let name = wantedName;
  for (let n = 2; taken.has(name); n++) name = `${wantedName}-${n}`;
  const url = await target.createCollection(collection, name);
  existing.push({ ...collection, url });
  return { url, created: true };
}
