/** A determinate progress bar; `value` between 0 and `max`. */
export function ProgressBar({ value, max = 100, label }: { readonly value: number; readonly max?: number; readonly label: string }) {
  const clamped = Math.min(Math.max(value, 0), max);
  const percent = max > 0 ? (clamped / max) * 100 : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={clamped}>
      {/* A style prop is applied through the CSSOM, which the strict CSP allows. */}
      <div className="progress__fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
