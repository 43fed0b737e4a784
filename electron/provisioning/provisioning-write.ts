import type { BackendAdapter } from '../backends/adapter.ts';
import type { Change } from '../audit/audit-recorder.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';

/** The connection a write ran on, as its cache update sees it. */
export interface WriteTarget {
  /** The connection's id (the write may have named it by name). */
  readonly id: string;
  readonly adapter: BackendAdapter;
  /** The time stamp of the cache rows the write leaves. */
  readonly at: string;
}

/** One change on a backend: what the journal records before it, the work, and how the cache follows it. */
export interface WriteSpec<T> {
  /** The domain whose cached rows are marked stale when reading the change back fails. */
  readonly domain: string;
  /** The object's state for the journal's "before" (null when absent or unreadable). */
  readonly before?: (adapter: BackendAdapter) => Promise<unknown>;
  readonly work: (adapter: BackendAdapter) => Promise<Result<T>>;
  /** The journal's "after"; the value itself when omitted. */
  readonly after?: (value: T) => unknown;
  /** Writes only the changed objects into the cache, reading them back where the write's answer is not enough. */
  readonly sync: (value: T, target: WriteTarget) => Promise<Result<void>> | Result<void>;
}

/** Runs one change on a connection (by id or name) and brings the cache in step. */
export type Write = <T>(idOrName: string, spec: WriteSpec<T>) => Promise<Result<Change<T>>>;

/** The domain part of an address (`@domain` catch-alls included). */
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/** The answer for an operation this platform does not offer through Mailroom. */
export function unsupported(what: string): Result<never> {
  return err('backend.unsupported', `This platform has no ${what} through Mailroom.`);
}

/** The first listed item that matches, null when none does; a failed page is the error. */
export async function findListed<T>(items: AsyncIterable<Result<T>>, match: (item: T) => boolean): Promise<Result<T | null>> {
  for await (const item of items) {
    if (!item.ok) return item;
    if (match(item.value)) return ok(item.value);
  }
  return ok(null);
}

/** The success value of a Result, or null: a journal "before" never fails a write. */
export function orNull<T>(result: Result<T | null>): T | null {
  return result.ok ? result.value : null;
}

/** A void success. */
export const done: Result<void> = ok(undefined);
