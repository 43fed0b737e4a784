import { noteChange } from '../../audit/audit-recorder.ts';
import type { EventBus } from '../../platform/event-bus.ts';
import type { StandardsService } from '../../standards/standards-service.ts';
import type { ConnectionsService } from '../../accounts/connections-service.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `standards` area: customers, standards, evaluation and accepted deviations. */
export function standardsHandlers(standards: StandardsService, connections: ConnectionsService, events: EventBus): AreaHandlers<'standards'> {
  return {
    customers: () => ok(standards.customers()),
    assignCustomer: ([connection, customer], ctx) => {
      const result = standards.assignCustomer(connection, customer);
      const value = noteChange(ctx.audit, result.ok ? result.value.value.id : null, result.ok ? result.value.value.name : connection, result);
      if (value.ok) events.emit('connections.changed', connections.list());
      return value;
    },
    list: ([filter]) => ok(standards.list(filter.customer)),
    show: ([name]) => standards.show(name),
    import: ([standard], ctx) => noteChange(ctx.audit, null, `standard:${standard.name}`, standards.import(standard)),
    latest: ([name, filter]) => standards.latest(name, filter),
    evaluate: ([name, filter]) => standards.evaluate(name, filter),
    remedy: ([name, deviation]) => standards.remedy(name, deviation),
    recheck: ([name, target]) => standards.recheck(name, target),
    cancel: ([runId]) => ok(standards.cancel(runId)),
    accept: ([input], ctx) => noteChange(ctx.audit, null, `standard:${input.standard} ${input.rule} ${input.target}`, standards.accept(input, ctx.operator)),
  };
}
