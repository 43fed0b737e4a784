/** How a plan is billed: per licensed mailbox, or a flat amount per server/instance. */
export type PriceModel = 'per-seat' | 'flat';

/** One line of the editable price table (monthly, in `currency`). */
export interface PricePlan {
  readonly id: string;
  readonly label: string;
  /** The connection kind the plan applies to. */
  readonly kind: 'google' | 'microsoft' | 'mailcow' | 'stalwart' | 'postfixadmin' | 'imap';
  readonly model: PriceModel;
  /** Per seat per month, or per server per month. */
  readonly monthly: number;
  /** Storage included per seat (pooled for Google) or per server; null when not capped by the plan. */
  readonly includedBytesPerSeat: number | null;
}

/** The editable price table, with the plan used per connection. */
export interface PriceTable {
  readonly currency: string;
  readonly plans: readonly PricePlan[];
  /** Connection id → plan id; connections without an entry use the first plan of their kind. */
  readonly assignments: Readonly<Record<string, string>>;
}

/** Input of storage.importPrices: a price-table CSV (as storage.exportPrices writes it); a dry run only checks and compares. */
export interface PriceImportRequest {
  readonly csv: string;
  readonly dryRun: boolean;
}

/** One CSV row the import refuses (line 1 is the header), or a problem of the file as a whole (line 0). */
export interface PriceRowError {
  readonly line: number;
  readonly message: string;
}

/** What a price-table import changes (plan ids), and whether it was written. */
export interface PriceImportReport {
  readonly applied: boolean;
  readonly table: PriceTable;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** Usage of one mailbox, for the near-quota list. */
export interface MailboxUsage {
  readonly address: string;
  readonly connectionId: string;
  readonly usedBytes: number;
  readonly quotaBytes: number | null;
  /** used / quota (0..n), null without a quota. */
  readonly ratio: number | null;
}

/** Usage and allocation of one domain. */
export interface DomainStorage {
  readonly domain: string;
  readonly connectionId: string;
  readonly mailboxes: number;
  readonly usedBytes: number;
  /** The domain-level quota (pooled), null when unlimited or unknown. */
  readonly domainQuotaBytes: number | null;
  /** Sum of per-mailbox quotas (split); null when any mailbox is unlimited. */
  readonly mailboxQuotaBytes: number | null;
  readonly allocation: 'pooled' | 'split' | 'both' | 'unlimited';
  /** domainQuota − sum of mailbox quotas when both are set: negative means over-committed. */
  readonly headroomBytes: number | null;
}

/** Usage and cost of one connection (platform instance). */
export interface PlatformStorage {
  readonly connectionId: string;
  readonly connectionName: string;
  readonly kind: string;
  readonly domains: number;
  readonly mailboxes: number;
  readonly activeMailboxes: number;
  readonly usedBytes: number;
  readonly quotaBytes: number | null;
  readonly planId: string | null;
  readonly model: PriceModel | null;
  /** Monthly cost of the actual inventory under the assigned plan. */
  readonly monthlyCost: number | null;
  /** The same inventory priced per seat and flat, for comparison. */
  readonly perSeatCost: number | null;
  readonly flatCost: number | null;
}

/** What storage.summary returns: plain numbers, the console draws the charts. */
export interface StorageSummary {
  readonly currency: string;
  readonly totals: { readonly usedBytes: number; readonly mailboxes: number; readonly monthlyCost: number };
  readonly platforms: readonly PlatformStorage[];
  readonly domains: readonly DomainStorage[];
  /** Mailboxes at ≥ 90 % of their quota, fullest first. */
  readonly nearQuota: readonly MailboxUsage[];
  /** Mailboxes at ≥ 100 %. */
  readonly overQuota: readonly MailboxUsage[];
  /** The largest mailboxes (top 50), for the usage chart. */
  readonly largest: readonly MailboxUsage[];
}
