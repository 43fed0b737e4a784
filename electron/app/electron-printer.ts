import type { BrowserWindow } from 'electron';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { ReportPrinter } from '../monthly-report/report-printer.ts';
import { createMainWindow } from './window.ts';

const TIMEOUT_MS = 60_000;

// The report page sets data-report-ready once its figures are drawn; printing earlier would print a spinner.
async function waitForReady(window: BrowserWindow): Promise<boolean> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (window.isDestroyed()) return false;
    if (await window.webContents.executeJavaScript('document.querySelector("[data-report-ready]") !== null', true)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Prints a console route to PDF in a hidden, locked-down window of the app (webContents.printToPDF); the window is trusted for IPC while it prints. */
export function electronPrinter(trusted: Set<number>): ReportPrinter {
  return {
    async pdf(hash): Promise<Result<Uint8Array>> {
      const window = createMainWindow({ hidden: true, hash });
      const id = window.webContents.id;
      trusted.add(id);
      try {
        if (!(await waitForReady(window))) return err('internal', 'The report page did not finish loading within a minute; nothing was printed.');
        return ok(new Uint8Array(await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true })));
      } finally {
        trusted.delete(id);
        if (!window.isDestroyed()) window.destroy();
      }
    },
  };
}
