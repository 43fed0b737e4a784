const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Formats a byte count with binary steps, e.g. "1.5 GB"; null becomes an em dash. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** Share of quota used, 0–1, or null when there is no quota or no usage figure. */
export function usageRatio(used: number | null, quota: number | null): number | null {
  if (used === null || quota === null || quota <= 0) return null;
  return used / quota;
}

/** Parses a quota typed in MB ("" = unlimited) into bytes; NaN for invalid input. */
export function parseQuotaMb(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const mb = Number(trimmed);
  return Number.isFinite(mb) && mb >= 0 ? Math.round(mb * 1024 * 1024) : Number.NaN;
}

/** A byte quota as the MB text of a form field ("" = unlimited). */
export function quotaToMb(bytes: number | null): string {
  return bytes === null ? '' : String(Math.round(bytes / (1024 * 1024)));
}

/** Usage at or above this share of the quota counts as near quota. */
export const NEAR_QUOTA = 0.9;
