import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBytes } from '../lib/bytes.ts';
import { onThemeChange, resolveColor } from './chart-theme.ts';

/** One series of a BarChart; with `stacked`, each series is drawn on top of the previous ones. */
export interface BarSeries {
  readonly label: string;
  readonly values: readonly number[];
  /** A CSS colour or variable, e.g. "var(--accent)". */
  readonly color: string;
}

const AXIS_FONT = '11px system-ui, sans-serif';
const LABEL_CHARS = 22;
// Rotated labels need this many px between bars, or they run into each other.
const LABEL_SPACING = 16;

/** A category label as the axis shows it: shortened with an ellipsis (the full label is in the legend on hover). */
function short(label: string): string {
  return label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label;
}

let measurer: CanvasRenderingContext2D | null = null;

/** The width in px of the longest label as the axis draws it. */
function longestLabel(labels: readonly string[]): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return LABEL_CHARS * 6.5;
  measurer.font = AXIS_FONT;
  return Math.max(0, ...labels.map((l) => measurer!.measureText(short(l)).width));
}

/** A bar chart (uPlot) over category labels, one series or several stacked; values are bytes unless `format` says otherwise. */
export function BarChart({ labels, series, stacked = false, height = 240, label, format = formatBytes }: {
  readonly labels: readonly string[];
  readonly series: readonly BarSeries[];
  readonly stacked?: boolean;
  readonly height?: number;
  readonly label: string;
  readonly format?: (v: number) => string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || labels.length === 0) return;
    const x = labels.map((_, i) => i);
    // Stacked: draw cumulative totals, largest first, so each later bar covers the part below it.
    const cumulative = series.map((_, si) => labels.map((__, i) => series.slice(0, si + 1).reduce((n, s) => n + (s.values[i] ?? 0), 0)));
    const ordered = stacked ? series.map((s, si) => ({ ...s, data: cumulative[si]! })).reverse() : series.map((s) => ({ ...s, data: [...s.values] }));
    const text = resolveColor('var(--text-muted)');
    // Many categories: labels stand upright (bottom to top) and only every n-th is drawn when the bars are too thin for all.
    const longest = longestLabel(labels);
    // Also upright when the bars are too narrow for the labels side by side (the y axis takes about 80 px).
    const upright = labels.length > 6 || longest > (el.clientWidth - 80) / labels.length - 8;
    const axisSize = upright ? Math.ceil(longest) + 16 : 40;
    const categoryValues = (u: uPlot, splits: number[]) => {
      const perBar = u.bbox.width / uPlot.pxRatio / Math.max(labels.length, 1);
      const step = upright ? Math.max(1, Math.ceil(LABEL_SPACING / perBar)) : 1;
      // The geometry the labels were laid out with, for tests: px between drawn labels, px of room and of the longest label.
      el.dataset['labelGap'] = String(Math.round(perBar * step));
      el.dataset['labelRoom'] = String(upright ? axisSize - 16 : Math.round(perBar));
      el.dataset['labelWidth'] = String(Math.ceil(longest));
      return splits.map((v) => (v % step === 0 ? short(labels[v] ?? '') : ''));
    };
    const grid = resolveColor('var(--border)');
    const make = () =>
      new uPlot(
        {
          width: Math.max(el.clientWidth, 200),
          height,
          legend: { show: series.length > 1 },
          cursor: { drag: { x: false, y: false }, points: { show: false } },
          scales: { x: { time: false, range: [-0.6, labels.length - 0.4] }, y: { range: (_u, _min, max) => [0, max * 1.08 || 1] } },
          axes: [
            { stroke: text, font: AXIS_FONT, grid: { show: false }, ticks: { show: false }, splits: () => x, values: categoryValues, rotate: upright ? 90 : 0, size: axisSize } as uPlot.Axis,
            // Bytes and counts are whole numbers: a chart of zeros (range 0–1) would otherwise label 0.2… as "0 B" and "1 B".
            { stroke: text, font: AXIS_FONT, grid: { stroke: grid, width: 1 }, ticks: { show: false }, filter: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? v : null)), values: (_u, splits) => splits.map((v) => (v === null ? '' : format(v))), size: 70 },
          ],
          series: [
            { value: (_u, v) => labels[v] ?? '' },
            ...ordered.map((s) => ({
              label: s.label,
              fill: resolveColor(s.color),
              stroke: resolveColor(s.color),
              width: 0,
              value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)),
              paths: uPlot.paths.bars!({ size: [0.7, 60], align: 0 }),
              points: { show: false },
            })),
          ],
        },
        [x, ...ordered.map((s) => s.data)],
        el,
      );
    let plot = make();
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }));
    resize.observe(el);
    // Recolour when the theme flips.
    const stopWatchingTheme = onThemeChange(() => (plot.destroy(), (plot = make())));
    return () => {
      resize.disconnect();
      stopWatchingTheme();
      plot.destroy();
    };
  }, [labels, series, stacked, height, format]);
  return <div ref={ref} className="chart" role="img" aria-label={label} />;
}
