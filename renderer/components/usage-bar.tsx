import { formatBytes, NEAR_QUOTA, usageRatio } from '../lib/bytes.ts';

/** Used of quota as text over a thin bar that turns amber near the quota and red over it. */
export function UsageBar({ used, quota }: { readonly used: number | null; readonly quota: number | null }) {
  const ratio = usageRatio(used, quota);
  const tone = ratio === null ? 'none' : ratio >= 1 ? 'over' : ratio >= NEAR_QUOTA ? 'near' : 'ok';
  const label = `${formatBytes(used)} of ${quota === null ? 'unlimited' : formatBytes(quota)}`;
  return (
    <span className="usage" title={ratio === null ? label : `${label} (${Math.round(ratio * 100)} %)`}>
      <span className="usage__text">
        {formatBytes(used)}
        <span className="usage__quota"> / {quota === null ? '∞' : formatBytes(quota)}</span>
      </span>
      {ratio !== null ? (
        <span className={`usage__bar usage__bar--${tone}`} aria-hidden="true">
          <span className="usage__fill" style={{ width: `${Math.min(ratio, 1) * 100}%` }} />
        </span>
      ) : null}
    </span>
  );
}
