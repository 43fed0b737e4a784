import type { Services } from '../../../electron/app/compose.ts';

/**
 * A test's setup call through the services' router, as the console would make it: the value on success, a throw
 * naming the channel and the error otherwise (setup that fails is not what the test is about).
 */
export function routerCall(services: Services): (channel: string, args: unknown[]) => Promise<{ id: string }> {
  return async (channel, args) => {
    const r = await services.router.dispatch(channel, args);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as { id: string };
  };
}
