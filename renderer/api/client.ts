import type { WindowApi } from '../../shared/ipc/contract.ts';
import { LiveEvents, type LiveStatus } from './live-events.ts';
import { createLoopbackApi } from './loopback-api.ts';
import { takeSessionToken } from './session-token.ts';

/** Which transport carries `api` in this window. */
export const transport: 'electron' | 'loopback' = window.api ? 'electron' : 'loopback';

const token = transport === 'loopback' ? takeSessionToken(window) : null;

const live =
  transport === 'loopback' && token !== null
    ? new LiveEvents({
        open: () => new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/events`, ['mailroom.v1', `token.${token}`]),
      })
    : null;

/** The typed contract: the preload's `window.api` in Electron, the loopback host in a browser. */
export const api: WindowApi =
  window.api ?? createLoopbackApi({ token, fetch: (url, init) => fetch(url, init), events: live ?? { on: () => () => undefined } });

/** True when this tab can talk to the services (Electron, or a browser tab opened with its session key). */
export const hasSession: boolean = transport === 'electron' || token !== null;

/** Current state of live updates; Electron IPC is always connected. */
export function liveStatus(): LiveStatus {
  return live?.status ?? 'open';
}

/** Subscribes to changes of the live-update connection; returns the unsubscribe function. */
export function onLiveStatus(listener: (status: LiveStatus) => void): () => void {
  return live?.onStatus(listener) ?? (() => undefined);
}
