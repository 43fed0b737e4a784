import type { DomainStorage, PricePlan, PriceTable } from '../../shared/domain/storage.ts';

const GB = 1e9;

/**
 * Defaults for the editable price table: list prices per month in USD on annual commitment as published
 * in 2025 (Google Workspace Business Starter/Standard, Microsoft 365 Business Basic/Standard) and a
 * small VPS for self-hosted servers. Estimates: the admin corrects them in Settings.
 */
export const defaultPriceTable: PriceTable = {
  currency: 'USD',
  plans: [
    { id: 'google-business-starter', label: 'Google Workspace Business Starter', kind: 'google', model: 'per-seat', monthly: 7, includedBytesPerSeat: 30 * GB },
    { id: 'google-business-standard', label: 'Google Workspace Business Standard', kind: 'google', model: 'per-seat', monthly: 14, includedBytesPerSeat: 2000 * GB },
    { id: 'microsoft-business-basic', label: 'Microsoft 365 Business Basic', kind: 'microsoft', model: 'per-seat', monthly: 6, includedBytesPerSeat: 50 * GB },
    { id: 'microsoft-business-standard', label: 'Microsoft 365 Business Standard', kind: 'microsoft', model: 'per-seat', monthly: 12.5, includedBytesPerSeat: 50 * GB },
    { id: 'self-hosted-server', label: 'Self-hosted Postfix/Dovecot server', kind: 'postfixadmin', model: 'flat', monthly: 20, includedBytesPerSeat: null },
    { id: 'mailcow-server', label: 'mailcow server', kind: 'mailcow', model: 'flat', monthly: 20, includedBytesPerSeat: null },
    { id: 'stalwart-server', label: 'Stalwart server', kind: 'stalwart', model: 'flat', monthly: 20, includedBytesPerSeat: null },
  ],
  assignments: {},
};

/** The plan a connection is billed under: its assignment, else the first plan of its kind. */
export function planFor(table: PriceTable, connectionId: string, kind: string): PricePlan | null {
  const assigned = table.assignments[connectionId];
  const plan = assigned ? table.plans.find((p) => p.id === assigned) : undefined;
  return plan ?? table.plans.find((p) => p.kind === kind) ?? null;
}

/** Monthly cost of `seats` mailboxes on one instance under `plan`. */
export function costOf(plan: PricePlan | null, seats: number): number | null {
  if (!plan) return null;
  return round(plan.model === 'per-seat' ? plan.monthly * seats : plan.monthly);
}

/**
 * The same inventory priced both ways: per seat with the cheapest per-seat plan, flat with the
 * cheapest flat plan (one server), so the console can show what moving would cost.
 */
export function alternatives(table: PriceTable, seats: number): { perSeat: number | null; flat: number | null } {
  const cheapest = (model: PricePlan['model']): PricePlan | null =>
    table.plans.filter((p) => p.model === model).reduce<PricePlan | null>((best, p) => (best === null || p.monthly < best.monthly ? p : best), null);
  return { perSeat: costOf(cheapest('per-seat'), seats), flat: costOf(cheapest('flat'), seats) };
}

/**
 * Pooled (one domain quota shared by all), split (each mailbox its own quota), both, or unlimited;
 * with both, the headroom is domain quota minus the sum of mailbox quotas (negative: over-committed).
 */
export function allocationOf(domainQuota: number | null, mailboxQuotaSum: number | null): Pick<DomainStorage, 'allocation' | 'headroomBytes'> {
  if (domainQuota !== null && mailboxQuotaSum !== null) return { allocation: 'both', headroomBytes: domainQuota - mailboxQuotaSum };
  if (domainQuota !== null) return { allocation: 'pooled', headroomBytes: null };
  if (mailboxQuotaSum !== null) return { allocation: 'split', headroomBytes: null };
  return { allocation: 'unlimited', headroomBytes: null };
}

const round = (n: number): number => Math.round(n * 100) / 100;
