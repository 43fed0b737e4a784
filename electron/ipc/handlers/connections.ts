import type { ConnectionsService } from '../../accounts/connections-service.ts';
import type { ProvisioningService } from '../../provisioning/provisioning-service.ts';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import { err, ok, type Result } from '../../../shared/errors/result.ts';
import type { EventBus } from '../../platform/event-bus.ts';
import type { AreaHandlers, HandlerContext } from '../router.ts';

/** Handlers of the `connections` area; non-IMAP connections are tested by probing their adapter. */
export function connectionsHandlers(service: ConnectionsService, events: EventBus, provisioning: ProvisioningService): AreaHandlers<'connections'> {
  const changed = (): void => events.emit('connections.changed', service.list());
  // The journal records the settings only: every add method has already moved the secret to the keychain.
  const added = async (name: string, ctx: HandlerContext, add: () => Promise<Result<ConnectionSummary>>): Promise<Result<ConnectionSummary>> => {
    ctx.audit.object = name;
    const result = await add();
    if (result.ok) {
      ctx.audit.connectionId = result.value.id;
      ctx.audit.after = { name: result.value.name, kind: result.value.kind, settings: result.value.settings };
      changed();
    }
    return result;
  };
  return {
    list: () => ok(service.list()),
    addImap: ([input], ctx) => added(input.name, ctx, () => service.addImap(input)),
    addPostfixAdmin: ([input], ctx) => added(input.name, ctx, () => service.addPostfixAdmin(input)),
    addMailcow: ([input], ctx) => added(input.name, ctx, () => service.addMailcow(input)),
    addStalwart: ([input], ctx) => added(input.name, ctx, () => service.addStalwart(input)),
    addGoogle: ([input], ctx) => added(input.name, ctx, () => service.addGoogle(input)),
    addMicrosoft: ([input], ctx) => added(input.name, ctx, () => service.addMicrosoft(input)),
    test: async ([id], ctx) => {
      const connection = service.find(id);
      if (!connection) return err('notFound', `No connection "${id}".`);
      const result = connection.kind === 'imap' ? await service.test(connection.id) : await provisioning.probe(connection.id, ctx.signal);
      changed();
      return result;
    },
    capabilities: ([id], ctx) => provisioning.capabilities(id, ctx.signal),
    remove: async ([id], ctx) => {
      const result = await service.remove(id);
      ctx.audit.object = id;
      if (result.ok) {
        await provisioning.forget(result.value.id);
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
