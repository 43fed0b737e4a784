import type { MonthlyReportQuery } from '../domain/monthly-report.ts';

/** The console's location hash of a customer's monthly report (under the Overview). */
export function monthlyReportHash(query: MonthlyReportQuery): string {
  return `#/overview/report?customer=${encodeURIComponent(query.customer)}${query.month ? `&month=${encodeURIComponent(query.month)}` : ''}`;
}

/** The report a location hash asks for, or null when the hash is not a monthly report's. */
export function monthlyReportFromHash(hash: string): MonthlyReportQuery | null {
  const m = /^#\/overview\/report\?(.*)$/.exec(hash);
  if (!m) return null;
  const params = new Map(m[1]!.split('&').map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at < 0 ? pair.length : at), at < 0 ? '' : safeDecode(pair.slice(at + 1))] as const;
  }));
  const customer = params.get('customer');
  const month = params.get('month');
  return customer ? { customer, ...(month ? { month } : {}) } : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // A hand-edited address with a stray % is read as written.
    return text;
  }
}
