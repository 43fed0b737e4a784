import { useEffect, useState } from 'react';
import { formatDateTime, formatRelative } from '../lib/format.ts';

/** "5 min ago", kept current every 30 s, with the full local time on hover. */
export function RelativeTime({ iso, className }: { readonly iso: string; readonly className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className={className}>
      {formatRelative(iso, now)}
    </time>
  );
}
