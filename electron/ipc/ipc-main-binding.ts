import { listOperations, channelName } from '../../shared/ipc/channels.ts';
import { err } from '../../shared/errors/result.ts';
import type { Router } from './router.ts';

/** The two methods of Electron's ipcMain the router needs; structural, so this file never imports 'electron'. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { sender: unknown; senderFrame?: unknown }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** Registers every operation of the contract on ipcMain; calls from untrusted senders get `transport.unauthorized`. */
export function bindIpcMain(
  ipc: IpcMainLike,
  router: Router,
  isTrusted: (event: { sender: unknown; senderFrame?: unknown }) => boolean,
): () => void {
  const channels = listOperations().map(([area, method]) => channelName(area, method));
  for (const channel of channels) {
    ipc.handle(channel, (event, ...args) => {
      if (!isTrusted(event)) return err('transport.unauthorized', 'This window may not call Mailroom.');
      return router.dispatch(channel, args);
    });
  }
  return () => channels.forEach((c) => ipc.removeHandler(c));
}
