import type { RoutingService } from '../../routing/routing-service.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `routing` area. */
export function routingHandlers(routing: RoutingService): AreaHandlers<'routing'> {
  return {
    analyze: ([query]) => ok(routing.analyze(query.domain)),
  };
}
