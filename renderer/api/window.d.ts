import type { WindowApi } from '../../shared/ipc/contract.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a browser, where renderer/api/client.ts uses the loopback host. */
    api?: WindowApi;
  }
}
