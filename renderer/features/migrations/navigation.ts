import { useEffect, useRef, useSyncExternalStore } from 'react';

/** What the Migrations page shows: the list, one plan, or one batch (`#/migrations/plan/<id>`, `#/migrations/batch/<id>`). */
export type MigrationView = { readonly view: 'list' } | { readonly view: 'plan'; readonly id: string } | { readonly view: 'batch'; readonly id: string };

/** Parses the part of the hash after `#/migrations`. */
export function viewFromHash(hash: string): MigrationView {
  const [, kind, id] = hash.replace(/^#\/?/, '').split('/');
  if ((kind === 'plan' || kind === 'batch') && id) return { view: kind, id: decodeURIComponent(id) };
  return { view: 'list' };
}

/** The hash of a view. */
export function hashOf(view: MigrationView): string {
  return view.view === 'list' ? '#/migrations' : `#/migrations/${view.view}/${encodeURIComponent(view.id)}`;
}

/** Goes to a view (a history entry, so Back works). */
export function go(view: MigrationView): void {
  window.location.hash = hashOf(view);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current view, re-rendering on hash changes. */
export function useMigrationView(): MigrationView {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return viewFromHash(hash);
}

/** Single-key shortcuts of the current view; ignored while typing, with modifiers, in a dialog, or as the second key of "g then …". */
export function useHotkeys(keys: Readonly<Record<string, () => void>>): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    let lastG = 0;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (document.querySelector('.dialog-backdrop')) return;
      const afterG = Date.now() - lastG < 1500;
      lastG = event.key === 'g' ? Date.now() : 0;
      if (afterG) return;
      const action = latest.current[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
