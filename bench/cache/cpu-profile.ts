/** The parts of a CDP CPU profile (Profiler.stop) that the benches read. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** The functions with the most self time in a CPU profile, in ms. */
export function topSelfTimes(profile: CpuProfile, count = 15): Record<string, number> {
  const perSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples?.length ?? 1);
  const self = new Map<string, number>();
  for (const n of profile.nodes) {
    const name = `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(name, (self.get(name) ?? 0) + (n.hitCount ?? 0) * perSample);
  }
  return Object.fromEntries([...self].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, v]) => [k, Math.round(v * 10) / 10]));
}
