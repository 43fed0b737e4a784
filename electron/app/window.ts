import { BrowserWindow, shell, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';
import { APP_ENTRY, isAppUrl } from './app-protocol.ts';
import { decideNavigation } from './shell-policy.ts';

const preload = fileURLToPath(new URL('../../preload/preload.cjs', import.meta.url));

/** Creates the main window with the renderer locked down: sandboxed, isolated, no Node, loaded from app://mailroom; hidden and at a route for printing. */
export function createMainWindow(options: { readonly hidden?: boolean; readonly hash?: string } = {}): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Mailroom',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (!options.hidden) window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY + (options.hash ?? ''));
  return window;
}

/**
 * Locks down a webContents (every one, through app 'web-contents-created'): no navigation in any
 * frame, no redirects off the app, no webviews, no new windows; allowlisted sites open in the browser.
 */
export function lockDown(contents: WebContents): void {
  const outward = (url: string): void => {
    const decision = decideNavigation(url);
    if (decision.action === 'open-external') void shell.openExternal(decision.url);
  };
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    outward(event.url);
  });
  // Sub-frames navigate without 'will-navigate'; the main frame is handled (once) above.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    outward(url);
    return { action: 'deny' };
  });
}
