import type { IconName } from '../components/icons.tsx';

/** Every top-level screen of the console. */
export type RouteId = 'overview' | 'domains' | 'mailboxes' | 'deliverability' | 'reports' | 'drift' | 'migrations' | 'activity' | 'connections' | 'settings';

/** One entry of the sidebar. */
export interface RouteInfo {
  readonly id: RouteId;
  readonly label: string;
  readonly icon: IconName;
  /** Second key of the "g then …" shortcut. */
  readonly key: string;
  /** Placeholder of the filter box when the page has a filterable list. */
  readonly filter?: string;
}

/** The sidebar, in order. */
export const routes: readonly RouteInfo[] = [
  { id: 'overview', label: 'Overview', icon: 'overview', key: 'o' },
  { id: 'domains', label: 'Domains', icon: 'domains', key: 'd', filter: 'Filter domains by name, platform or customer' },
  { id: 'mailboxes', label: 'Mailboxes', icon: 'mailboxes', key: 'm', filter: 'Search mailboxes, aliases and groups' },
  { id: 'deliverability', label: 'Deliverability', icon: 'deliverability', key: 'l' },
  { id: 'reports', label: 'Reports', icon: 'reports', key: 'r', filter: 'Filter sending sources by IP, host name, sender or classification' },
  { id: 'drift', label: 'Drift', icon: 'shield', key: 't' },
  { id: 'migrations', label: 'Migrations', icon: 'migrations', key: 'g' },
  { id: 'activity', label: 'Activity', icon: 'activity', key: 'a', filter: 'Filter activity: “suspend”, an address, a connection, an operator' },
  { id: 'connections', label: 'Connections', icon: 'connections', key: 'c', filter: 'Filter connections by name, server, user or customer' },
  { id: 'settings', label: 'Settings', icon: 'settings', key: 's' },
];

/** The route a location hash points at (`#/connections`); unknown hashes land on the overview. */
export function routeFromHash(hash: string): RouteInfo {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return routes.find((r) => r.id === id) ?? routes[0]!;
}

/** The href of a route. */
export function hrefOf(id: RouteId): string {
  return `#/${id}`;
}
