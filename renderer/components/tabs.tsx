import type { KeyboardEvent } from 'react';

/** One tab of a Tabs bar. */
export interface TabItem<T extends string> {
  readonly id: T;
  readonly label: string;
  readonly count?: number | null;
}

/** An ARIA tab bar; arrow keys move between tabs. The panel is rendered by the caller with id `tabpanel-<id>`. */
export function Tabs<T extends string>({ items, current, onChange, label }: { readonly items: readonly TabItem<T>[]; readonly current: T; readonly onChange: (id: T) => void; readonly label: string }) {
  const onKeyDown = (event: KeyboardEvent) => {
    const index = items.findIndex((t) => t.id === current);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = items[(index + step + items.length) % items.length]!;
    onChange(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {items.map((t) => (
        <button
          key={t.id}
          id={`tab-${t.id}`}
          type="button"
          role="tab"
          className="tabs__tab"
          aria-selected={t.id === current}
          aria-controls={`tabpanel-${t.id}`}
          tabIndex={t.id === current ? 0 : -1}
          onClick={() => onChange(t.id)}
        >
          {t.label}
          {t.count !== undefined && t.count !== null ? <span className="tabs__count">{t.count.toLocaleString()}</span> : null}
        </button>
      ))}
    </div>
  );
}
