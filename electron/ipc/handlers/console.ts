import type { RoutingService } from '../../routing/routing-service.ts';
import type { StorageService } from '../../storage/storage-service.ts';
import type { InviteService } from '../../invite/invite-service.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `routing`, `storage` and `relay` areas. */
export function consoleHandlers(
  routing: RoutingService,
  storage: StorageService,
  invites: InviteService,
): { routing: AreaHandlers<'routing'>; storage: AreaHandlers<'storage'>; relay: AreaHandlers<'relay'> } {
  return {
    routing: { analyze: ([query]) => ok(routing.analyze(query.domain)) },
    storage: {
      summary: () => ok(storage.summary()),
      prices: () => ok(storage.prices()),
      setPrices: ([table], ctx) => {
        ctx.audit.object = 'storage.prices';
        ctx.audit.before = storage.prices();
        ctx.audit.after = table;
        return ok(storage.setPrices(table));
      },
    },
    relay: {
      get: async () => ok(await invites.relay()),
      set: async ([input], ctx) => {
        ctx.audit.object = 'relay.smtp';
        ctx.audit.before = await invites.relay();
        const saved = await invites.setRelay(input);
        ctx.audit.after = saved;
        return ok(saved);
      },
    },
  };
}
