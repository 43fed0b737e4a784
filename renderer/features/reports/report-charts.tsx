import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ReportDay } from '../../../shared/domain/reports-insights.ts';
import { BarChart, type BarSeries } from '../../components/bar-chart.tsx';
import { onThemeChange, resolveColor } from '../../components/chart-theme.ts';
import { Table } from '../../components/table.tsx';
import { percent } from './reports-model.ts';

const count = (v: number): string => Math.round(v).toLocaleString();

/** Messages per day, the DMARC passes at the bottom of each bar and the failures on top. */
export function VolumeChart({ days }: { readonly days: readonly ReportDay[] }) {
  const labels = useMemo(() => days.map((d) => d.day), [days]);
  // Stacked bars draw running totals, so the top series reads as the day's whole volume in the legend.
  const series = useMemo<BarSeries[]>(
    () => [
      { label: 'Passed DMARC', values: days.map((d) => d.dmarcPass), color: 'var(--success)' },
      { label: 'All messages', values: days.map((d) => d.messages - d.dmarcPass), color: 'var(--danger)' },
    ],
    [days],
  );
  return <BarChart label={`Messages per day over ${days.length} days; passes in green, failures in red`} labels={labels} series={series} stacked height={220} format={count} />;
}

/** The share of messages passing DMARC per day, 0–100 %. */
export function PassRateChart({ days }: { readonly days: readonly ReportDay[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || days.length === 0) return;
    const data: uPlot.AlignedData = [days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000), days.map((d) => (d.messages > 0 ? (d.dmarcPass / d.messages) * 100 : null))];
    const make = () => {
      const accent = resolveColor('var(--accent)');
      const muted = resolveColor('var(--text-muted)');
      const grid = resolveColor('var(--border)');
      const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { show: false } };
      return new uPlot(
        {
          width: Math.max(240, el.clientWidth),
          height: 220,
          legend: { show: true, live: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true }, y: { range: [0, 100] } },
          series: [{}, { label: 'DMARC pass rate', stroke: accent, width: 2, points: { show: days.length < 60, size: 5, fill: accent }, value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)}%`) }],
          axes: [axis, { ...axis, size: 44, values: (_u, ticks) => ticks.map((t) => `${t}%`) }],
        },
        data,
        el,
      );
    };
    let plot = make();
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: 220 }));
    resize.observe(el);
    const stopWatchingTheme = onThemeChange(() => (plot.destroy(), (plot = make())));
    return () => {
      resize.disconnect();
      stopWatchingTheme();
      plot.destroy();
    };
  }, [days]);
  const passed = days.reduce((n, d) => n + d.dmarcPass, 0);
  const messages = days.reduce((n, d) => n + d.messages, 0);
  return <div ref={host} className="chart" role="img" aria-label={`DMARC pass rate per day over ${days.length} days, ${percent(passed, messages)} overall`} />;
}

/** The charts' figures as a table, for screen readers and for reading exact numbers. */
export function DaysTable({ days }: { readonly days: readonly ReportDay[] }) {
  return (
    <details className="reports-days">
      <summary>Figures per day ({days.length})</summary>
      <Table
        caption="Messages per day"
        head={
          <tr>
            <th scope="col">Day (UTC)</th>
            <th scope="col" className="reports-num">Messages</th>
            <th scope="col" className="reports-num">Passed DMARC</th>
            <th scope="col" className="reports-num">Pass rate</th>
          </tr>
        }
      >
        {days.map((d) => (
          <tr key={d.day}>
            <th scope="row">{d.day}</th>
            <td className="reports-num">{d.messages.toLocaleString()}</td>
            <td className="reports-num">{d.dmarcPass.toLocaleString()}</td>
            <td className="reports-num">{percent(d.dmarcPass, d.messages)}</td>
          </tr>
        ))}
      </Table>
    </details>
  );
}
