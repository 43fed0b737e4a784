import type { ReactNode } from 'react';

/** One step of a Timeline. */
export interface TimelineStep {
  readonly key: string;
  /** The moment, shown in the left column (e.g. "Tue 3 Mar, 14:00"). */
  readonly when: ReactNode;
  /** A short secondary line under the moment (e.g. "T−24 h"). */
  readonly offset?: ReactNode;
  readonly title: ReactNode;
  readonly body?: ReactNode;
  /** Emphasis of the marker: the switch itself is "accent", preparation "warning", completion "success". */
  readonly tone?: 'accent' | 'warning' | 'success' | 'neutral';
}

/** A vertical timeline: moments on the left, markers joined by a line, what happens on the right. */
export function Timeline({ steps, label }: { readonly steps: readonly TimelineStep[]; readonly label: string }) {
  return (
    <ol className="timeline" aria-label={label}>
      {steps.map((s) => (
        <li key={s.key} className={`timeline__step timeline__step--${s.tone ?? 'neutral'}`}>
          <div className="timeline__when">
            <span className="timeline__time">{s.when}</span>
            {s.offset ? <span className="timeline__offset">{s.offset}</span> : null}
          </div>
          <span className="timeline__marker" aria-hidden="true" />
          <div className="timeline__content">
            <p className="timeline__title">{s.title}</p>
            {s.body ? <div className="timeline__body">{s.body}</div> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
