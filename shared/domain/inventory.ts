import type { DomainInfo, MailboxInfo } from './provisioning.ts';
import type { ConnectionKind } from './connection.ts';

/** Where a cached row came from and how fresh it is. */
export interface CacheOrigin {
  readonly connectionId: string;
  readonly connectionName: string;
  readonly connectionKind: ConnectionKind;
  readonly refreshedAt: string | null;
  /** True when the backend changed after this row was read, or the last refresh failed. */
  readonly stale: boolean;
}

/** A domain as the console lists it, across connections. */
export type CachedDomain = DomainInfo & CacheOrigin;

/** A mailbox row of the console table, with its forwarding. */
export type CachedMailbox = MailboxInfo &
  CacheOrigin & { readonly forwardTargets: readonly string[]; readonly keepCopy: boolean };

/** A cached alias or catch-all (`@domain`). */
export interface CachedAlias extends CacheOrigin {
  readonly address: string;
  readonly domain: string;
  readonly targets: readonly string[];
  readonly active: boolean;
}

/** A cached group with its members. */
export interface CachedGroup extends CacheOrigin {
  readonly address: string;
  readonly domain: string;
  readonly name: string | null;
  readonly members: readonly string[];
}

/** Orders the mailbox table offers: every one is an index walk in the cache. */
export type MailboxSort = 'address' | 'domain' | 'used' | 'quota' | 'usage';

/** Mailbox filters and order shared by `mailboxes.search` and `mailboxes.page`. */
export interface MailboxFilterQuery {
  /** Defaults to address order. */
  readonly sort?: MailboxSort;
  readonly dir?: 'asc' | 'desc';
  readonly status?: 'active' | 'suspended';
  /** Only mailboxes at or above NEAR_QUOTA_RATIO of their quota. */
  readonly nearQuota?: boolean;
}

/** The used/quota ratio from which a mailbox counts as near its quota. */
export const NEAR_QUOTA_RATIO = 0.9;

/** Filters for cache listings. */
export interface InventoryQuery extends MailboxFilterQuery {
  readonly connectionId?: string;
  readonly domain?: string;
  /** Search-as-you-type text: substring of address or name. */
  readonly text?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** One page of the mailbox table. */
export interface MailboxPage {
  readonly rows: readonly CachedMailbox[];
  /** Every matching row, counted exactly. */
  readonly total: number;
  /** Always false: totals are exact. Kept so `--json` readers of the earlier capped counts still find it. */
  readonly capped: boolean;
}

/** A keyset-paged read of the mailbox table (the virtualized view scrolls with `afterKey`). */
export interface MailboxPageQuery extends MailboxFilterQuery {
  readonly connectionId?: string;
  readonly domain?: string;
  readonly text?: string;
  /** The `nextKey` of the previous page; absent for the first page. */
  readonly afterKey?: string;
  /** Rows to skip (after `afterKey` when both are given): a jump in the scrollbar without streaming every page before it. */
  readonly offset?: number;
  readonly limit?: number;
}

/** One keyset page: rows in address order and the key of the next page (null at the end). */
export interface MailboxKeysetPage extends MailboxPage {
  readonly nextKey: string | null;
}

/** What a refresh pulled from one connection. */
export interface RefreshReport {
  readonly connectionId: string;
  readonly domains: number;
  readonly mailboxes: number;
  readonly aliases: number;
  readonly groups: number;
  readonly durationMs: number;
  readonly refreshedAt: string;
}

/** Input for a new domain; sizes are bytes. */
export interface NewDomain {
  readonly name: string;
  readonly description?: string;
  /** Makes the new domain a whole-domain alias of this existing one. */
  readonly aliasOf?: string;
  readonly quotaBytes?: number | null;
  readonly maxMailboxBytes?: number | null;
}
