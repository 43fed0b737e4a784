import type { MigrationCutoverStep } from '../../../shared/domain/migration.ts';
import { Timeline, type TimelineStep } from '../../components/timeline.tsx';
import { formatOffset } from './migration-format.ts';
import { cutoverPhase, switchTime, type CutoverPhase } from './plan-model.ts';

const TITLES: Record<CutoverPhase, string> = {
  'lower-ttl': 'Lower the MX TTL',
  'first-pass': 'First pass',
  switch: 'Switch MX to the target',
  delta: 'Delta pass',
  final: 'Final delta pass, restore TTL',
  other: 'Step',
};

const TONES: Record<CutoverPhase, TimelineStep['tone']> = { 'lower-ttl': 'warning', 'first-pass': 'neutral', switch: 'accent', delta: 'neutral', final: 'success', other: 'neutral' };

/** The DNS cut-over plan as a readable timeline, with times relative to the MX switch (T). */
export function CutoverTimeline({ steps }: { readonly steps: readonly MigrationCutoverStep[] }) {
  if (steps.length === 0) return <p className="list-meta">The timeline appears once the plan has an estimate.</p>;
  const t = Date.parse(switchTime(steps) ?? steps[0]!.at);
  const items: TimelineStep[] = steps.map((s, i) => {
    const phase = cutoverPhase(s, i);
    const at = new Date(s.at);
    return {
      key: `${i}-${s.at}`,
      when: at.toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
      offset: formatOffset(at.getTime() - t),
      title: TITLES[phase],
      body: sentence(s.step),
      tone: TONES[phase],
    };
  });
  return <Timeline steps={items} label="DNS cut-over timeline" />;
}

function sentence(text: string): string {
  const t = text.trim();
  return t ? t[0]!.toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.') : '';
}
