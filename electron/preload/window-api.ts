import { channelName, eventChannels, invokeChannels } from '../../shared/ipc/channels.ts';
import type { Events, WindowApi } from '../../shared/ipc/contract.ts';

/** Subscribes to one IPC event; returns the unsubscribe function. */
export type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void;

/** Builds `window.api` from the channel list: one named function per operation, nothing generic. */
export function buildWindowApi(invoke: (channel: string, ...args: unknown[]) => Promise<unknown>, subscribe: Subscribe): WindowApi {
  const api: Record<string, unknown> = {};
  for (const [area, methods] of Object.entries(invokeChannels)) {
    const functions: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of Object.keys(methods)) {
      const channel = channelName(area, method);
      functions[method] = (...args) => invoke(channel, ...args);
    }
    api[area] = Object.freeze(functions);
  }
  api['on'] = <E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): (() => void) => {
    if (!Object.hasOwn(eventChannels, event)) throw new Error(`Unknown event "${String(event)}"`);
    return subscribe(event, listener as (payload: unknown) => void);
  };
  return Object.freeze(api) as unknown as WindowApi;
}
