import { useSyncExternalStore } from 'react';
import { hrefOf, routeFromHash, type RouteId, type RouteInfo } from './routes.ts';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route, re-rendering on every hash change. */
export function useRoute(): RouteInfo {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return routeFromHash(hash);
}

/** Goes to a route (adds a history entry, so Back works). */
export function navigate(id: RouteId): void {
  window.location.hash = hrefOf(id);
}
