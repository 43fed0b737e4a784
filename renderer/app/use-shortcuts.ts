import { useEffect } from 'react';
import { routes, type RouteId } from './routes.ts';

/** What the global shortcuts do. */
export interface ShortcutActions {
  readonly navigate: (id: RouteId) => void;
  readonly focusSearch: () => void;
  readonly toggleHelp: () => void;
}

const SEQUENCE_MS = 1500;

/** Installs the global keys: "g" then a letter navigates, "/" focuses the filter, "?" toggles the shortcut sheet. */
export function useShortcuts(actions: ShortcutActions): void {
  useEffect(() => {
    let pendingG = 0;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (pendingG && Date.now() - pendingG < SEQUENCE_MS) {
        pendingG = 0;
        const route = routes.find((r) => r.key === event.key.toLowerCase());
        if (route) {
          event.preventDefault();
          actions.navigate(route.id);
        }
        return;
      }
      pendingG = 0;
      if (event.key === 'g') pendingG = Date.now();
      else if (event.key === '/') {
        event.preventDefault();
        actions.focusSearch();
      } else if (event.key === '?') {
        event.preventDefault();
        actions.toggleHelp();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [actions]);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
