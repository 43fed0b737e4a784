import { app, BrowserWindow, ipcMain, Notification, session, type WebContents } from 'electron';
import { composeServices } from './compose.ts';
import { createMainWindow } from './window.ts';
import { bindIpcMain } from '../ipc/ipc-main-binding.ts';
import { checkVault } from '../platform/credential-vault.ts';
import { KeychainVault } from '../platform/keychain-vault.ts';
import { createFileLogger } from '../platform/logger.ts';
import { dataFiles, resolveDataDir } from '../platform/paths.ts';
import { eventChannels } from '../../shared/ipc/channels.ts';
import type { Events } from '../../shared/ipc/contract.ts';
import { SEVERITY_ORDER } from '../../shared/domain/dns.ts';

/** Electron entry point: the composition root for the desktop app. */
export async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const dataDir = resolveDataDir();
  const logger = createFileLogger(dataFiles(dataDir).log);
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error }));
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));
  const vault = new KeychainVault();
  const services = composeServices({ dataDir, vault, logger, transport: 'electron' });
  // The window warns while the keychain is unavailable (it reads app.info); the log says so from the start.
  void checkVault(vault).then(
    (status) => (status.available ? logger.info : logger.warn)('vault checked at start', { kind: status.kind, available: status.available, detail: status.message }),
    (error: unknown) => logger.error('vault check failed', { error }),
  );

  // The renderer needs no permission (camera, notifications via the main process, …).
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, done) => done(false));

  const trusted = new Set<number>();
  const window = createMainWindow();
  trusted.add(window.webContents.id);
  bindIpcMain(ipcMain, services.router, (event) => {
    const sender = event.sender as WebContents;
    const frame = event.senderFrame as { url?: string } | null | undefined;
    // Only our own window, and only its file:// renderer, may call the router.
    return trusted.has(sender.id) && (frame?.url ?? '').startsWith('file://');
  });
  services.events.onAny((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && trusted.has(win.webContents.id)) win.webContents.send(event, payload);
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

  app.on('window-all-closed', () => {
    services.close();
    app.quit();
  });
}

void main();
