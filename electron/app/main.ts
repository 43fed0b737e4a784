import { app, BrowserWindow, ipcMain, Notification, protocol, session } from 'electron';
import { fileURLToPath } from 'node:url';
import { APP_SCHEME, appScheme, createAppProtocolHandler, isAppUrl } from './app-protocol.ts';
import { composeServices } from './compose.ts';
import { createMonitor } from './monitor-setup.ts';
import type { OsNotifier } from '../platform/os-notifier.ts';
import { isPermissionAllowed, isTrustedSender, senderFacts } from './shell-policy.ts';
import { createMainWindow, lockDown } from './window.ts';
import { electronPrinter } from './electron-printer.ts';
import { bindIpcMain } from '../ipc/ipc-main-binding.ts';
import { checkVault } from '../platform/credential-vault.ts';
import { KeychainVault } from '../platform/keychain-vault.ts';
import { createFileLogger } from '../platform/logger.ts';
import { dataFiles, resolveDataDir } from '../platform/paths.ts';
import { setPrivateUmask } from '../platform/private-files.ts';
import { eventChannels } from '../../shared/ipc/channels.ts';
import type { Events } from '../../shared/ipc/contract.ts';
import { SEVERITY_ORDER } from '../../shared/domain/dns.ts';

const rendererDir = fileURLToPath(new URL('../../renderer/', import.meta.url));

/** Electron entry point: the composition root for the desktop app. */
export async function main(): Promise<void> {
  // Before anything writes a file (Chromium's profile included): nothing for other local users.
  setPrivateUmask();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // These three must happen before 'ready' and before any webContents exists.
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([appScheme]);
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  await app.whenReady();
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
  const dataDir = resolveDataDir();
  const logger = createFileLogger(dataFiles(dataDir).log);
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error }));
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));
  const vault = new KeychainVault();
  const notifier: OsNotifier = {
    kind: 'desktop',
    show: (title, body) => {
      if (!Notification.isSupported()) return false;
      new Notification({ title, body }).show();
      return true;
    },
  };
  const services = composeServices({ dataDir, vault, logger, transport: 'electron', notifier });
  // Evaluations of standards run in a worker thread, so the window's IPC keeps answering while one runs.
  services.standards.evaluateOffThread(true);
  // The window warns while the keychain is unavailable (it reads app.info); the log says so from the start.
  void checkVault(vault).then(
    (status) => (status.available ? logger.info : logger.warn)('vault checked at start', { kind: status.kind, available: status.available, detail: status.message }),
    (error: unknown) => logger.error('vault check failed', { error }),
  );

  // The renderer needs only the clipboard (notifications come from the main process); no devices.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, done, details) =>
    done(isPermissionAllowed(permission, details.requestingUrl, details.isMainFrame)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? origin, details.isMainFrame),
  );
  session.defaultSession.setDevicePermissionHandler(() => false);

  const trusted = new Set<number>();
  const window = createMainWindow();
  trusted.add(window.webContents.id);
  services.printer.use(electronPrinter(trusted));
  bindIpcMain(ipcMain, services.router, (event) => isTrustedSender(senderFacts(event), trusted));
  services.events.onAny((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && trusted.has(win.webContents.id) && isAppUrl(win.webContents.getURL())) win.webContents.send(event, payload);
    }
  }, Object.keys(eventChannels) as (keyof Events)[]);

  // A finding that appears or worsens on a scheduled re-check is worth interrupting the admin for.
  services.events.on('dns.findingsChanged', (changed) => {
    if (!Notification.isSupported()) return;
    const worst = [...changed.changes].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))[0];
    const more = changed.changes.length > 1 ? ` (+${changed.changes.length - 1} more)` : '';
    const notice = new Notification({
      title: `${changed.domain}: deliverability got worse`,
      body: worst ? `${worst.severity}: ${worst.message}${more}` : `Health score ${changed.score}`,
    });
    notice.on('click', () => {
      if (window.isDestroyed()) return;
      window.show();
      window.focus();
    });
    notice.show();
  });
  services.dns.start();
  services.migration.start();
  // Alerts: the stored domains (and, once registered, the standards) every 3 hours, through the configured resolvers.
  const { monitor } = createMonitor(services, { logger });
  monitor.start();

  app.on('window-all-closed', () => {
    // The journal's newest anchor goes to the keychain in the background; quitting before it lands
    // would show the last entries as unanchored at the next start.
    void Promise.all([monitor.stop(), services.journal.flush()]).finally(() => {
      services.close();
      app.quit();
    });
  });
}

void main();
