import { useMemo } from 'react';
import type { StandardEvaluation } from '../../../shared/domain/standards.ts';
import { BarChart } from '../../components/bar-chart.tsx';
import { naturalCompare } from '../../lib/natural-sort.ts';

const percent = (v: number): string => `${Math.round(v)} %`;

/** Alignment per customer, 0–100: all rules, and only the rules each platform can support, as bars and as figures. */
export function ScoreCard({ evaluation }: { readonly evaluation: StandardEvaluation }) {
  const customers = useMemo(() => Object.keys(evaluation.score).sort(naturalCompare), [evaluation]);
  const all = useMemo(() => [{ label: 'All rules', values: customers.map((c) => evaluation.score[c] ?? 0), color: 'var(--accent)' }], [customers, evaluation]);
  const supported = useMemo(() => [{ label: 'Supported rules', values: customers.map((c) => evaluation.supportedScore[c] ?? 0), color: 'var(--success)' }], [customers, evaluation]);
  return (
    <section className="card drift-card" aria-labelledby="drift-score-title">
      <h2 id="drift-score-title" className="drift-card__title">
        Alignment per customer
      </h2>
      {customers.length === 0 ? (
        <p className="muted">No domain was in scope of this standard.</p>
      ) : (
        <>
          <div className="drift-scores">
            <div>
              <h3 className="drift-scores__label">All rules</h3>
              <BarChart label="Alignment per customer, all rules, 0 to 100" labels={customers} series={all} height={180} format={percent} />
            </div>
            <div>
              <h3 className="drift-scores__label">Leaving out rules the platform cannot support</h3>
              <BarChart label="Alignment per customer, supported rules only, 0 to 100" labels={customers} series={supported} height={180} format={percent} />
            </div>
          </div>
          <table className="table drift-score-table" aria-label="Alignment scores">
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">All rules</th>
                <th scope="col">Supported rules</th>
              </tr>
            </thead>
            <tbody>
              {customers.map((c) => (
                <tr key={c} data-customer={c}>
                  <th scope="row">{c}</th>
                  <td data-score="all">{evaluation.score[c]}</td>
                  <td data-score="supported">{evaluation.supportedScore[c]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
