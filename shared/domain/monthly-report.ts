import type { PriceModel } from './storage.ts';
import type { RuleMode } from './standards.ts';

/** Which customer and month (`YYYY-MM`, UTC; the current month when omitted) a monthly report covers. */
export interface MonthlyReportQuery {
  readonly customer: string;
  readonly month?: string;
}

/** One platform instance (connection) of the customer: seats, storage and cost of its cached inventory. */
export interface ReportPlatform {
  readonly connection: string;
  readonly kind: string;
  readonly domains: number;
  readonly seats: number;
  readonly activeSeats: number;
  readonly usedBytes: number;
  readonly planId: string | null;
  readonly model: PriceModel | null;
  /** Under the assigned plan; the same inventory priced per seat and flat (null without such a plan). */
  readonly monthlyCost: number | null;
  readonly perSeatCost: number | null;
  readonly flatCost: number | null;
}

/** One standard's alignment score for the customer over the month's evaluations. */
export interface ReportAlignment {
  readonly standard: string;
  readonly evaluations: number;
  /** Scores of the first and last evaluation of the month and the lowest in between; null when none scored the customer. */
  readonly first: number | null;
  readonly last: number | null;
  readonly lowest: number | null;
  readonly lastSupported: number | null;
}

/** A deviation seen in the month: when it began, and when it stopped holding (null: still open at the month's last evaluation). */
export interface ReportDrift {
  readonly standard: string;
  readonly rule: string;
  readonly target: string;
  readonly mode: RuleMode;
  readonly since: string;
  readonly resolvedAt: string | null;
}

/** A migration batch of the customer that finished in the month. */
export interface ReportMigration {
  readonly batch: string;
  readonly plan: string;
  readonly finishedAt: string;
  readonly mailboxes: number;
  readonly mailboxesDone: number;
  readonly messages: number;
  readonly bytes: number;
}

/** A customer's monthly report: what the console page, the CSV and the PDF show. */
export interface MonthlyReport {
  readonly customer: string;
  readonly month: string;
  readonly generatedAt: string;
  readonly currency: string;
  /** Seats and storage are the inventory cache's at generation time (the cache keeps no history of them). */
  readonly seats: number;
  readonly activeSeats: number;
  readonly usedBytes: number;
  readonly platforms: readonly ReportPlatform[];
  /** Sums over the platforms; null when no platform has a plan of that kind. */
  readonly cost: { readonly current: number | null; readonly perSeat: number | null; readonly flat: number | null };
  /** The latest check of each of the customer's domains within the month, and their average score. */
  readonly deliverability: { readonly average: number | null; readonly domains: readonly { readonly domain: string; readonly score: number; readonly at: string }[] };
  readonly alignment: readonly ReportAlignment[];
  readonly drift: { readonly opened: number; readonly resolved: number; readonly open: number; readonly items: readonly ReportDrift[] };
  readonly migrations: readonly ReportMigration[];
}
