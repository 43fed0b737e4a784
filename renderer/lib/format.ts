/** Formats an ISO time as a local date and time, e.g. "3 Mar 2025, 14:05:09". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  dateTime ??= new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return dateTime.format(date);
}

// One formatter for every call: `toLocaleString` with options builds a new one each time (2–3 ms of a page's first
// visit in the bench/cache profile, a RelativeTime per card).
let dateTime: Intl.DateTimeFormat | undefined;

/** Formats the distance from `now` to an ISO time, e.g. "5 min ago". */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** Formats a duration in milliseconds, e.g. "85 ms" or "1.2 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Pretty-prints a JSON value for display; null and undefined become an em dash. */
export function formatJson(value: unknown): string {
  return value === null || value === undefined ? '—' : JSON.stringify(value, null, 2);
}
