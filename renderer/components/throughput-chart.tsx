import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { onThemeChange, resolveColor } from './chart-theme.ts';

/** Throughput over time: x in seconds since the run started, messages/s and MB/s on two axes. */
export interface ThroughputData {
  readonly x: readonly number[];
  readonly messages: readonly number[];
  readonly megabytes: readonly number[];
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${m}:${String(s % 60).padStart(2, '0')}`;
}

function aligned(data: ThroughputData): uPlot.AlignedData {
  return [[...data.x], [...data.messages], [...data.megabytes]];
}

/** A small live line chart of messages/s and MB/s (uPlot); the data updates in place, without rebuilding the chart. */
export function ThroughputChart({ data, height = 150, label }: { readonly data: ThroughputData; readonly height?: number; readonly label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const make = () => {
      const text = resolveColor('var(--text-muted)');
      const grid = resolveColor('var(--border)');
      const accent = resolveColor('var(--accent)');
      const second = resolveColor('var(--success)');
      return new uPlot(
        {
          width: Math.max(el.clientWidth, 240),
          height,
          legend: { show: true, live: false },
          cursor: { drag: { x: false, y: false }, points: { show: false } },
          scales: { x: { time: false }, msg: { range: (_u, _min, max) => [0, max * 1.15 || 1] }, mb: { range: (_u, _min, max) => [0, max * 1.15 || 1] } },
          axes: [
            { stroke: text, grid: { show: false }, ticks: { show: false }, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200], values: (_u, splits) => splits.map(clock), size: 28 },
            { scale: 'msg', stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false }, size: 52, values: (_u, splits) => splits.map((v) => (v >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(Math.round(v * 10) / 10))) },
            { scale: 'mb', side: 1, stroke: text, grid: { show: false }, ticks: { show: false }, size: 52, values: (_u, splits) => splits.map((v) => `${Math.round(v * 10) / 10}`) },
          ],
          series: [
            { value: (_u, v) => (v === null ? '—' : clock(v)) },
            { label: 'msg/s', scale: 'msg', stroke: accent, width: 2, fill: accent.replace('rgb(', 'rgba(').replace(')', ', 0.12)'), points: { show: false }, value: (_u, v) => (v === null ? '—' : v.toFixed(1)) },
            { label: 'MB/s', scale: 'mb', stroke: second, width: 1.5, dash: [5, 4], points: { show: false }, value: (_u, v) => (v === null ? '—' : v.toFixed(2)) },
          ],
        },
        aligned(latest.current),
        el,
      );
    };
    plot.current = make();
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(el.clientWidth, 240), height }));
    resize.observe(el);
    // Recolour when the theme flips.
    const stopWatchingTheme = onThemeChange(() => {
      plot.current?.destroy();
      plot.current = make();
    });
    return () => {
      resize.disconnect();
      stopWatchingTheme();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [height]);

  useEffect(() => {
    plot.current?.setData(aligned(data));
  }, [data]);

  return <div ref={ref} className="chart throughput-chart" role="img" aria-label={label} />;
}
