import { useState } from 'react';
import { diffValues, formatValue } from '../lib/value-diff.ts';
import './change-diff.css';

/** A change as a highlighted before/after table: changed fields first, unchanged ones folded away. */
export function ChangeDiff({ before, after, label }: { readonly before: unknown; readonly after: unknown; readonly label: string }) {
  const [showSame, setShowSame] = useState(false);
  const rows = diffValues(before, after);
  const same = rows.filter((r) => r.kind === 'same').length;
  const shown = showSame ? rows : rows.filter((r) => r.kind !== 'same');
  if (rows.length === 0) return <p className="muted">No values were recorded for this change.</p>;
  return (
    <div className="change-diff">
      <table className="change-diff__table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.path} className={`change-diff__row change-diff__row--${r.kind}`}>
              <th scope="row">
                <code>{r.path}</code>
              </th>
              <td className="change-diff__before">
                {r.kind === 'changed' || r.kind === 'removed' ? <span className="visually-hidden">was </span> : null}
                {formatValue(r.path, r.before)}
              </td>
              <td className="change-diff__after">
                {r.kind === 'changed' || r.kind === 'added' ? <span className="visually-hidden">now </span> : null}
                {formatValue(r.path, r.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {same > 0 ? (
        <button type="button" className="change-diff__toggle" onClick={() => setShowSame((s) => !s)} aria-expanded={showSame}>
          {showSame ? 'Hide unchanged fields' : `Show ${same} unchanged ${same === 1 ? 'field' : 'fields'}`}
        </button>
      ) : null}
    </div>
  );
}
