import type { ConnectionsService } from '../../accounts/connections-service.ts';
import type { ProvisioningService } from '../../provisioning/provisioning-service.ts';
import type { AddConnectionOptions, ConnectionSummary, ConnectionTestReport } from '../../../shared/domain/connection.ts';
import { err, ok, type Result } from '../../../shared/errors/result.ts';
import { noteChange } from '../../audit/audit-recorder.ts';
import type { EventBus } from '../../platform/event-bus.ts';
import type { AreaHandlers, HandlerContext } from '../router.ts';

/** Handlers of the `connections` area; non-IMAP connections are tested by probing their adapter. */
export function connectionsHandlers(service: ConnectionsService, events: EventBus, provisioning: ProvisioningService): AreaHandlers<'connections'> {
  const changed = (): void => events.emit('connections.changed', service.list());
  const probe = async (id: string, signal: AbortSignal | undefined): Promise<Result<ConnectionTestReport>> => {
    const connection = service.find(id);
    if (!connection) return err('notFound', `No connection "${id}".`);
    // An edited or removed connection must not keep using an adapter opened with its old settings.
    await provisioning.forget(connection.id);
    return connection.kind === 'imap' ? service.test(connection.id) : provisioning.probe(connection.id, signal);
  };
  // The journal records the settings only: every add method has already moved the secret to the keychain.
  const added = async (name: string, ctx: HandlerContext, options: AddConnectionOptions | undefined, add: () => Promise<Result<ConnectionSummary>>): Promise<Result<ConnectionSummary>> => {
    ctx.audit.object = name;
    const testOrForget = async (id: string): Promise<Result<ConnectionTestReport>> => {
      const tested = await probe(id, ctx.signal);
      if (!tested.ok) await provisioning.forget(id);
      return tested;
    };
    const result = options?.test ? await service.keepIfTested(await add(), testOrForget) : await add();
    if (result.ok) {
      ctx.audit.connectionId = result.value.id;
      ctx.audit.after = { name: result.value.name, kind: result.value.kind, settings: result.value.settings, tested: options?.test === true };
      changed();
    }
    return result;
  };
  return {
    list: () => ok(service.list()),
    addImap: ([input, options], ctx) => added(input.name, ctx, options, () => service.addImap(input)),
    addPostfixAdmin: ([input, options], ctx) => added(input.name, ctx, options, () => service.addPostfixAdmin(input)),
    addMailcow: ([input, options], ctx) => added(input.name, ctx, options, () => service.addMailcow(input)),
    addStalwart: ([input, options], ctx) => added(input.name, ctx, options, () => service.addStalwart(input)),
    addGoogle: ([input, options], ctx) => added(input.name, ctx, options, () => service.addGoogle(input)),
    addMicrosoft: ([input, options], ctx) => added(input.name, ctx, options, () => service.addMicrosoft(input)),
    edit: async ([id, edit], ctx) => {
      const result = await service.edit(id, edit);
      const value = noteChange(ctx.audit, result.ok ? result.value.value.id : null, result.ok ? result.value.value.name : id, result);
      if (value.ok) {
        await provisioning.forget(value.value.id);
        changed();
      }
      return value;
    },
    test: async ([id], ctx) => {
      const result = await probe(id, ctx.signal);
      changed();
      return result;
    },
    capabilities: ([id], ctx) => provisioning.capabilities(id, ctx.signal),
    setTenantSettings: async ([id, patch], ctx) => noteChange(ctx.audit, id, `tenant:${service.find(id)?.name ?? id}`, await provisioning.setTenantSettings(id, patch)),
    dependents: ([id]) => service.dependents(id),
    remove: async ([id, options], ctx) => {
      const result = await service.remove(id, options ?? {});
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
