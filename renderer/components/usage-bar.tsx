import type { CSSProperties } from 'react';
import { formatBytes, NEAR_QUOTA, usageRatio } from '../lib/bytes.ts';

/** Used of quota as text over a thin bar that turns amber near the quota and red over it. */
export function UsageBar({ used, quota }: { readonly used: number | null; readonly quota: number | null }) {
  const ratio = usageRatio(used, quota);
  const tone = ratio === null ? 'none' : ratio >= 1 ? 'over' : ratio >= NEAR_QUOTA ? 'near' : 'ok';
  const label = `${formatBytes(used)} of ${quota === null ? 'unlimited' : formatBytes(quota)}`;
  // The bar is the element's background (CSS), not two more elements: a table of these styles and lays out fewer boxes.
  const fill = ratio === null ? undefined : ({ '--usage-fill': `${Math.min(ratio, 1) * 100}%` } as CSSProperties);
  return (
    <span className={`usage usage--${tone}`} title={ratio === null ? label : `${label} (${Math.round(ratio * 100)} %)`} style={fill}>
      {formatBytes(used)}
      <span className="usage__quota"> / {quota === null ? '∞' : formatBytes(quota)}</span>
    </span>
  );
}
