import { channelName, invokeChannels } from '../../shared/ipc/channels.ts';
import type { Api } from '../../shared/ipc/contract.ts';
import type { Result } from '../../shared/errors/result.ts';

/** Runs one operation by channel name with its argument tuple (the router's `dispatch`). */
export type Dispatch = (channel: string, args: readonly unknown[]) => Promise<Result<unknown>>;

/** The CLI's typed `Api`: one function per operation of the channel list (as the preload builds window.api), each through the router. */
export function buildCliApi(dispatch: Dispatch): Api {
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<Result<unknown>>>> = {};
  for (const [area, methods] of Object.entries(invokeChannels)) {
    const functions: Record<string, (...args: unknown[]) => Promise<Result<unknown>>> = {};
    for (const method of Object.keys(methods)) {
      const channel = channelName(area, method);
      functions[method] = (...args) => dispatch(channel, args);
    }
    api[area] = Object.freeze(functions);
  }
  return Object.freeze(api) as unknown as Api;
}
