import type { AlertsService } from '../../alerts/alerts-service.ts';
import type { AlertDestinations } from '../../alerts/alert-destinations.ts';
import { noteChange } from '../../audit/audit-recorder.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `alerts` area; webhook URLs go to the keychain and never into the journal (only their origin). */
export function alertsHandlers(alerts: AlertsService, destinations: AlertDestinations): AreaHandlers<'alerts'> {
  return {
    list: ([filter]) => alerts.list(filter),
    destinations: () => ok(destinations.list()),
    addDestination: async ([input], ctx) => noteChange(ctx.audit, null, `alerts.destination:${input.name}`, await destinations.add(input)),
    updateDestination: async ([id, patch], ctx) => noteChange(ctx.audit, null, `alerts.destination:${id}`, await destinations.update(id, patch)),
    removeDestination: async ([id], ctx) => noteChange(ctx.audit, null, `alerts.destination:${id}`, await destinations.remove(id)),
    snooze: ([id, until], ctx) => noteChange(ctx.audit, null, `alerts.destination:${id}`, destinations.snooze(id, until)),
    // Journaled because it sends a message in the operator's name; the entry holds the outcome only.
    test: async ([id], ctx) => {
      ctx.audit.object = `alerts.destination:${id}`;
      const sent = await alerts.test(id);
      ctx.audit.after = sent.ok ? sent.value : null;
      return sent;
    },
  };
}
