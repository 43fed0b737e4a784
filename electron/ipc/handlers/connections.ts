import type { ConnectionsService } from '../../accounts/connections-service.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { EventBus } from '../../platform/event-bus.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `connections` area. */
export function connectionsHandlers(service: ConnectionsService, events: EventBus): AreaHandlers<'connections'> {
  const changed = (): void => events.emit('connections.changed', service.list());
  return {
    list: () => ok(service.list()),
    addImap: async ([input], ctx) => {
      ctx.audit.object = input.name;
      const result = await service.addImap(input);
      if (result.ok) {
        ctx.audit.connectionId = result.value.id;
        ctx.audit.after = { name: result.value.name, kind: result.value.kind, settings: result.value.settings };
        changed();
      }
      return result;
    },
    addPostfixAdmin: async ([input], ctx) => {
      ctx.audit.object = input.name;
      const result = await service.addPostfixAdmin(input);
      if (result.ok) {
        ctx.audit.connectionId = result.value.id;
        ctx.audit.after = { name: result.value.name, kind: result.value.kind, settings: result.value.settings };
        changed();
      }
      return result;
    },
    test: async ([id]) => {
      const result = await service.test(id);
      changed();
      return result;
    },
    remove: async ([id], ctx) => {
      const result = await service.remove(id);
      ctx.audit.object = id;
      if (result.ok) {
        ctx.audit.connectionId = result.value.id;
        ctx.audit.object = result.value.name;
        ctx.audit.before = { name: result.value.name, kind: result.value.kind, settings: result.value.settings };
        changed();
        return ok({ id: result.value.id });
      }
      return result;
    },
  };
}
