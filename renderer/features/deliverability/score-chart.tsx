import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CheckRunSummary } from '../../../shared/domain/dns.ts';

/** Health score over time for one domain (uPlot line chart). */
export function ScoreChart({ runs }: { readonly runs: readonly CheckRunSummary[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current || runs.length < 2) return;
    const ordered = [...runs].reverse();
    const data: uPlot.AlignedData = [ordered.map((r) => Date.parse(r.at) / 1000), ordered.map((r) => r.score)];
    const chart = new uPlot(
      {
        width: host.current.clientWidth || 480,
        height: 160,
        scales: { y: { range: [0, 100] } },
        series: [{}, { label: 'Score', stroke: 'var(--accent, #2563eb)', width: 2 }],
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => String(t)) }],
      },
      data,
      host.current,
    );
    return () => chart.destroy();
  }, [runs]);
  if (runs.length < 2) return <p className="list-meta">The score chart appears after the second check of this domain.</p>;
  return <div ref={host} className="score-chart" aria-label="Health score history" role="img" />;
}
