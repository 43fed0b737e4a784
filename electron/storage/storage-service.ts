import type { SettingsRepo } from '../db/settings-repo.ts';
import type { StorageRepo } from '../db/storage-repo.ts';
import type { DomainStorage, PlatformStorage, PriceImportReport, PriceImportRequest, PriceTable, StorageSummary } from '../../shared/domain/storage.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import { pricesToCsv } from './price-csv-write.ts';
import { allocationOf, alternatives, costOf, defaultPriceTable, planFor } from './price-table.ts';

const PRICES_KEY = 'storage.prices';

/** Storage use, allocation and cost over the cache; plain numbers for the console's charts. */
export class StorageService {
  private readonly repo: StorageRepo;
  private readonly settings: SettingsRepo;

  constructor(repo: StorageRepo, settings: SettingsRepo) {
    this.repo = repo;
    this.settings = settings;
  }

  /** The price table (defaults until the admin edits it). */
  prices(): PriceTable {
    return this.settings.get<PriceTable>(PRICES_KEY) ?? defaultPriceTable;
  }

  /** Replaces the price table. */
  setPrices(table: PriceTable): PriceTable {
    this.settings.put(PRICES_KEY, table);
    return table;
  }

  /** The price table as CSV. */
  exportPrices(): string {
    return pricesToCsv(this.prices());
  }

  /** Replaces the plans from a CSV, all or nothing: any bad row refuses the file, naming every bad row. */
  async importPrices(request: PriceImportRequest): Promise<Result<PriceImportReport>> {
    // The reader's zod schemas and CSV parser load with the first import, not with every command.
    const { priceDiff, pricesFromCsv } = await import('./price-csv.ts');
    const current = this.prices();
    const read = pricesFromCsv(request.csv, current);
    if (!read.ok) {
      const n = read.errors.length;
      const first = read.errors[0]!;
      return err('input.invalid', `The price CSV has ${n} problem${n === 1 ? '' : 's'}, so nothing was changed; ${first.line > 0 ? `line ${first.line}` : 'the file'}: ${first.message}${n > 1 ? ` (and ${n - 1} more)` : ''}.`, { detail: { rows: read.errors } });
    }
    if (!request.dryRun) this.setPrices(read.table);
    return ok({ applied: !request.dryRun, table: read.table, ...priceDiff(current, read.table) });
  }

  /** Usage per mailbox, domain and platform; pooled vs split allocation; who is near quota; cost. */
  summary(): StorageSummary {
    const table = this.prices();
    const platforms = this.repo.connections().map((c): PlatformStorage => {
      const plan = planFor(table, c.connectionId, c.kind);
      const alt = alternatives(table, c.mailboxes);
      return { ...c, planId: plan?.id ?? null, model: plan?.model ?? null, monthlyCost: costOf(plan, c.mailboxes), perSeatCost: alt.perSeat, flatCost: alt.flat };
    });
    const domains = this.repo.domains().map((d): DomainStorage => ({ ...d, ...allocationOf(d.domainQuotaBytes, d.mailboxQuotaBytes) }));
    const near = this.repo.nearQuota(0.9, 500);
    return {
      currency: table.currency,
      totals: {
        usedBytes: platforms.reduce((n, p) => n + p.usedBytes, 0),
        mailboxes: platforms.reduce((n, p) => n + p.mailboxes, 0),
        monthlyCost: Math.round(platforms.reduce((n, p) => n + (p.monthlyCost ?? 0), 0) * 100) / 100,
      },
      platforms,
      domains,
      nearQuota: near,
      overQuota: near.filter((m) => m.ratio !== null && m.ratio >= 1),
      largest: this.repo.largest(50),
    };
  }
}
