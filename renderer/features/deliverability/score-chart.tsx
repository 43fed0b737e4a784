import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CheckRunSummary } from '../../../shared/domain/dns.ts';

// Canvas strokes cannot use CSS variables, and the tokens are light-dark() pairs: let the browser
// resolve one on a probe element and read back the computed rgb().
function themeColor(host: HTMLElement, token: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${token})`;
  host.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

function withAlpha(rgb: string, alpha: number): string {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(rgb);
  return m ? `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${alpha})` : rgb;
}

/** Health score over time for one domain (uPlot line chart), redrawn on resize and theme change. */
export function ScoreChart({ runs }: { readonly runs: readonly CheckRunSummary[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || runs.length < 2) return;
    const ordered = [...runs].reverse();
    const data: uPlot.AlignedData = [ordered.map((r) => Date.parse(r.at) / 1000), ordered.map((r) => r.score)];
    let chart: uPlot | null = null;
    const draw = () => {
      chart?.destroy();
      const accent = themeColor(el, '--accent');
      const muted = themeColor(el, '--text-muted');
      const grid = themeColor(el, '--border');
      const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      chart = new uPlot(
        {
          width: Math.max(240, el.clientWidth),
          height: 150,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { y: { range: [0, 100] } },
          series: [{}, { label: 'Score', stroke: accent, width: 2, fill: withAlpha(accent, 0.12), points: { size: 5, fill: accent } }],
          axes: [axis, { ...axis, size: 36, values: (_u, ticks) => ticks.map((t) => String(t)) }],
        },
        data,
        el,
      );
    };
    draw();
    const resize = new ResizeObserver(() => {
      if (chart && Math.abs(chart.width - el.clientWidth) > 8) draw();
    });
    resize.observe(el);
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const theme = new MutationObserver(draw);
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    scheme.addEventListener('change', draw);
    return () => {
      resize.disconnect();
      theme.disconnect();
      scheme.removeEventListener('change', draw);
      chart?.destroy();
    };
  }, [runs]);
  if (runs.length < 2) return <p className="list-meta dlv-chart-note">The score history chart appears after the second check of this domain.</p>;
  return <div ref={host} className="dlv-chart" aria-label={`Health score history: ${runs.length} checks, now ${runs[0]!.score}`} role="img" />;
}
