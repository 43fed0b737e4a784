import type { AppInfo } from '../../../shared/domain/app.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `app` area. */
export function appHandlers(info: () => Promise<AppInfo>): AreaHandlers<'app'> {
  return { info: async () => ok(await info()) };
}
