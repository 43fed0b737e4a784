import type { StorageService } from '../../storage/storage-service.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `storage` area. */
export function storageHandlers(storage: StorageService): AreaHandlers<'storage'> {
  return {
    summary: () => ok(storage.summary()),
    prices: () => ok(storage.prices()),
    setPrices: ([table], ctx) => {
      ctx.audit.object = 'storage.prices';
      ctx.audit.before = storage.prices();
      ctx.audit.after = table;
      return ok(storage.setPrices(table));
    },
    exportPrices: () => ok(storage.exportPrices()),
    importPrices: async ([request], ctx) => {
      ctx.audit.object = request.dryRun ? 'storage.prices (csv dry run)' : 'storage.prices (csv import)';
      const before = storage.prices();
      const report = await storage.importPrices(request);
      if (report.ok && report.value.applied) {
        ctx.audit.before = before;
        ctx.audit.after = report.value.table;
      }
      return report;
    },
  };
}
