import type { Result } from '../../shared/errors/result.ts';

/** Prints a page of the console (by its location hash) to PDF: Electron's webContents.printToPDF or headless Chromium. */
export interface ReportPrinter {
  pdf(hash: string): Promise<Result<Uint8Array>>;
}

/** Where the composition root's printer is plugged in once a window or a loopback host exists to print from. */
export class PrinterSlot {
  private printer: ReportPrinter | null = null;

  /** Plugs in (or, with null, unplugs) the printer. */
  use(printer: ReportPrinter | null): void {
    this.printer = printer;
  }

  /** The plugged-in printer, or null. */
  get current(): ReportPrinter | null {
    return this.printer;
  }
}
