const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

// Decimal units, as the CLI prints and parses them (`--quota 50MB` is 50,000,000 bytes) and as
// PostfixAdmin's MB is mapped: one figure means the same everywhere. MiB/GiB are only ever spelled so.
const STEP = 1000;

/** Bytes in the MB that quota fields and the `quota_mb` CSV column count in. */
export const MB = 1_000_000;

/** Formats a byte count in decimal units, e.g. "1.5 GB"; null becomes an em dash. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= STEP && unit < UNITS.length - 1) {
    value /= STEP;
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
  return Number.isFinite(mb) && mb >= 0 ? Math.round(mb * MB) : Number.NaN;
}

/** A byte quota as the MB text of a form field ("" = unlimited). */
export function quotaToMb(bytes: number | null): string {
  return bytes === null ? '' : String(Math.round(bytes / MB));
}

/** Usage at or above this share of the quota counts as near quota. */
export const NEAR_QUOTA = 0.9;
