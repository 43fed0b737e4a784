// Figures of one traced navigation, read from Chromium's own trace (devtools.timeline and its frame category): when the
// frame holding the first rows was drawn, and every animation frame's wall time beside the main-thread CPU inside it.

/** One event of a Chromium trace (Trace Event Format), the fields read here. */
export interface TraceEvent {
  readonly name: string;
  readonly cat?: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string; readonly animation_frame_timing_info?: { readonly duration_ms?: number; readonly blocking_duration_ms?: number } };
}

/** The categories to trace for traceFigures. */
export const FRAME_TRACE_CATEGORIES = 'devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.frame,blink.user_timing';

/** What the trace says about a navigation, in ms from the navigation mark. */
export interface TraceFigures {
  /** The compositor drew the first frame whose paint came after the rows entered the DOM (null: not in the trace). */
  readonly rowsDrawnMs: number | null;
  /** Main-thread CPU time from the navigation until that frame's paint ended: the page's own cost, little inflated by load. */
  readonly cpuToRowsMs: number | null;
  /** Animation frames (Chromium's long-animation-frame timing: first task to rendering done), wall and main-thread CPU. */
  readonly frames: { readonly count: number; readonly longestWallMs: number; readonly longestCpuMs: number; readonly p95CpuMs: number; readonly totalCpuMs: number; readonly over50Wall: number; readonly over50Cpu: number };
  /** The three longest main-thread tasks, in CPU and in wall time. */
  readonly topTasks: { readonly cpuMs: number[]; readonly wallMs: number[] };
  /** The longest frame (by wall time) per kind of main-thread work: script, style, layout, paint, GC, … in CPU where the trace gives it, else wall (nested events counted once, in the innermost kind). */
  readonly longestFrameCpuByKind: Record<string, number>;
  /** The same for the frame holding the most main-thread CPU. */
  readonly busiestFrameCpuByKind: Record<string, number>;
}

// Trace event names by the kind of work they are; anything else inside a task is "other".
const KINDS: Record<string, string> = {
  FunctionCall: 'script', EvaluateScript: 'script', 'v8.callFunction': 'script', TimerFire: 'script', FireAnimationFrame: 'script', EventDispatch: 'script',
  UpdateLayoutTree: 'style', RecalculateStyles: 'style', ParseAuthorStyleSheet: 'style',
  Layout: 'layout', PrePaint: 'prepaint', Paint: 'paint', PaintImage: 'paint', Layerize: 'layerize', Commit: 'commit', UpdateLayer: 'layerize',
  MinorGC: 'gc', MajorGC: 'gc', 'V8.GC_SCAVENGER': 'gc', HitTest: 'other', ParseHTML: 'parse',
};

const ms = (us: number): number => Math.round(us / 100) / 10;

/** Reads the figures of the navigation between the user-timing marks `navMark` and `rowsMark` (set when the rows entered the DOM). */
export function traceFigures(events: readonly TraceEvent[], navMark: string, rowsMark: string): TraceFigures {
  const nav = events.find((e) => e.name === navMark);
  const rows = events.find((e) => e.name === rowsMark);
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === nav?.pid && e.args?.name === 'CrRendererMain');
  const onMain = (e: TraceEvent) => e.pid === main?.pid && e.tid === main?.tid && e.ts >= (nav?.ts ?? 0);
  const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && onMain(e));
  const cpuBetween = (from: number, to: number) => tasks.filter((t) => t.ts >= from && t.ts < to).reduce((sum, t) => sum + (t.tdur ?? 0), 0);

  // The first paint after the rows were seen is the one that includes them; the compositor draws it next.
  const paint = rows ? events.find((e) => e.name === 'Paint' && e.ph === 'X' && onMain(e) && e.ts >= rows.ts) : undefined;
  const paintEnd = paint ? paint.ts + (paint.dur ?? 0) : null;
  const drawn = paintEnd === null ? undefined : events.find((e) => e.name === 'DrawFrame' && e.pid === main?.pid && e.ts >= paintEnd);

  // AnimationFrame begin/end pairs follow one another on the main thread; the begin carries Chromium's own timing.
  const frames: { wall: number; cpu: number; from: number; to: number }[] = [];
  let open: TraceEvent | null = null;
  for (const e of events.filter((x) => x.name === 'AnimationFrame' && (x.ph === 'b' || x.ph === 'e') && onMain(x)).sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'b') open = e;
    else if (open) {
      frames.push({ wall: open.args?.animation_frame_timing_info?.duration_ms ?? ms(e.ts - open.ts), cpu: ms(cpuBetween(open.ts, e.ts)), from: open.ts, to: e.ts });
      open = null;
    }
  }
  const longest = frames.reduce<(typeof frames)[number] | null>((a, f) => (a && a.wall >= f.wall ? a : f), null);
  const busiest = frames.reduce<(typeof frames)[number] | null>((a, f) => (a && a.cpu >= f.cpu ? a : f), null);
  const top = (key: 'dur' | 'tdur') => tasks.map((t) => ms(t[key] ?? 0)).sort((a, b) => b - a).slice(0, 3);
  return {
    rowsDrawnMs: nav && drawn ? ms(drawn.ts - nav.ts) : null,
    cpuToRowsMs: nav && paintEnd !== null ? ms(cpuBetween(nav.ts, paintEnd)) : null,
    frames: {
      count: frames.length,
      longestWallMs: Math.max(0, ...frames.map((f) => f.wall)),
      longestCpuMs: Math.max(0, ...frames.map((f) => f.cpu)),
      p95CpuMs: frames.map((f) => f.cpu).sort((a, b) => a - b)[Math.floor(frames.length * 0.95)] ?? 0,
      totalCpuMs: ms(frames.reduce((sum, f) => sum + f.cpu * 1000, 0)),
      over50Wall: frames.filter((f) => f.wall > 50).length,
      over50Cpu: frames.filter((f) => f.cpu > 50).length,
    },
    topTasks: { cpuMs: top('tdur'), wallMs: top('dur') },
    longestFrameCpuByKind: longest ? cpuByKind(events.filter((e) => e.ph === 'X' && onMain(e) && e.ts >= longest.from && e.ts < longest.to)) : {},
    busiestFrameCpuByKind: busiest ? cpuByKind(events.filter((e) => e.ph === 'X' && onMain(e) && e.ts >= busiest.from && e.ts < busiest.to)) : {},
  };
}

// Each event's own CPU (its tdur less that of the classified events directly inside it), summed per kind.
function cpuByKind(events: readonly TraceEvent[]): Record<string, number> {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const out: Record<string, number> = {};
  const stack: { end: number; kind: string | null; own: number }[] = [];
  const close = (until: number) => {
    while (stack.length && stack.at(-1)!.end <= until) {
      const done = stack.pop()!;
      if (done.kind) out[done.kind] = (out[done.kind] ?? 0) + done.own;
    }
  };
  for (const e of sorted) {
    close(e.ts);
    const kind = e.name === 'RunTask' ? 'other' : (KINDS[e.name] ?? null);
    const cpu = e.tdur ?? e.dur ?? 0;
    if (kind) {
      // The innermost classified event owns its time: take it out of the enclosing one.
      const parent = [...stack].reverse().find((s) => s.kind);
      if (parent) parent.own -= cpu;
    }
    stack.push({ end: e.ts + (e.dur ?? 0), kind, own: cpu });
  }
  close(Infinity);
  return Object.fromEntries(Object.entries(out).map(([k, v]): [string, number] => [k, ms(Math.max(0, v))]).sort((a, b) => b[1] - a[1]));
}
