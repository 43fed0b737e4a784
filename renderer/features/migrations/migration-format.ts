/** Formats a remaining or estimated duration in seconds: "45 s", "12 min", "3 h 20 min", "2.5 days"; null or negative becomes an em dash. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 1) return 'under 1 s';
  if (s < 90) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  if (s < 48 * 3600) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const days = s / 86_400;
  return `${days >= 10 ? Math.round(days) : days.toFixed(1)} days`;
}

/** Formats a message rate: "1,240 msg/s", "3.5 msg/s", "0.25 msg/s". */
export function formatMessageRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond) || perSecond < 0) return '—';
  if (perSecond >= 100) return `${Math.round(perSecond).toLocaleString('en-US')} msg/s`;
  if (perSecond >= 10) return `${perSecond.toFixed(1).replace(/\.0$/, '')} msg/s`;
  if (perSecond === 0) return '0 msg/s';
  return `${perSecond.toFixed(2).replace(/0$/, '').replace(/\.0$/, '')} msg/s`;
}

/** Formats a byte rate in MB/s (binary MB, like the rest of the console): "12.4 MB/s", "0.08 MB/s". */
export function formatByteRate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return '—';
  const mb = bytesPerSecond / 1_048_576;
  if (mb === 0) return '0 MB/s';
  if (mb >= 100) return `${Math.round(mb)} MB/s`;
  if (mb >= 1) return `${mb.toFixed(1)} MB/s`;
  return `${mb.toFixed(2)} MB/s`;
}

/** A share 0–1 as a whole percent, never showing 100 % before the work is really complete. */
export function formatPercent(done: number, total: number): string {
  if (total <= 0) return done > 0 ? '100 %' : '0 %';
  const ratio = Math.min(1, Math.max(0, done / total));
  const percent = Math.floor(ratio * 100);
  return `${ratio < 1 && percent === 100 ? 99 : percent} %`;
}

/** Seconds left at the current rate; null when the rate is unknown or zero. */
export function etaSeconds(remaining: number, perSecond: number): number | null {
  if (remaining <= 0) return 0;
  if (!Number.isFinite(perSecond) || perSecond <= 0) return null;
  return remaining / perSecond;
}

/** A time of the cut-over timeline relative to the switch: "T−24 h", "T+5 min", "T". */
export function formatOffset(ms: number): string {
  if (Math.abs(ms) < 1000) return 'T';
  const sign = ms < 0 ? '−' : '+';
  return `T${sign}${formatEta(Math.abs(ms) / 1000)}`;
}

/** Formats a count with grouping: 12,345. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');
}

/** The readable parts of an endpoint (`imaps://alice%40old.example@mail.old.example:993`, or a bare user): user and server. */
export function endpointParts(endpoint: string): { readonly user: string; readonly server: string | null } {
  const m = /^[a-z+]+:\/\/([^@]*(?:@[^@]*)*)@([^@/]+?)\/?$/i.exec(endpoint);
  if (!m) return { user: endpoint, server: null };
  let user = m[1]!;
  try {
    user = decodeURIComponent(user);
  } catch {
    // A malformed escape: show the text as given.
  }
  return { user, server: m[2]! };
}
