import type { ReactNode } from 'react';

/** Colour meaning of a badge. */
export type BadgeTone = 'success' | 'danger' | 'warning' | 'info' | 'neutral';

/** A short status label, e.g. "Passed" or "Failed". */
export function Badge({ tone = 'neutral', children }: { readonly tone?: BadgeTone; readonly children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}
