import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildWindowApi } from './window-api.ts';

// The only surface the page gets: named operations from the shared channel list, never ipcRenderer.
contextBridge.exposeInMainWorld(
  'api',
  buildWindowApi(
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (event, listener) => {
      // Strip the IpcRendererEvent: it carries `sender`, which must not reach page code.
      const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(event, wrapped);
      return () => {
        ipcRenderer.removeListener(event, wrapped);
      };
    },
  ),
);
