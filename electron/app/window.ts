import { BrowserWindow, shell, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';

const rendererIndex = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));
const preload = fileURLToPath(new URL('../../preload/preload.cjs', import.meta.url));

/** Creates the main window with the renderer locked down: sandboxed, isolated, no Node, no navigation. */
export function createMainWindow(): BrowserWindow {
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
  lockDown(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(rendererIndex);
  return window;
}

/** Blocks navigation and new windows; external https links open in the system browser instead. */
export function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
