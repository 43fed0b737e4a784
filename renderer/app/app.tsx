import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import { Button } from '../components/button.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { Icon } from '../components/icons.tsx';
import { ToastList } from '../components/toast.tsx';
import { hasSession } from '../api/client.ts';
import { RichText } from '../components/rich-text.tsx';
import { errorText } from '../lib/error-text.ts';
import { useAppInfo } from '../state/app-info-store.ts';
import { ActivityPage } from '../features/activity/activity-page.tsx';
import { ConnectionsPage } from '../features/connections/connections-page.tsx';
import { ChangesCard } from '../features/deliverability/changes-card.tsx';
import { MonthlyReportPage, useReportQuery } from '../features/customer-report/monthly-report-page.tsx';
import { DeliverabilityPage } from '../features/deliverability/deliverability-page.tsx';
import { useFindingAlerts } from '../features/deliverability/finding-alerts.tsx';
import { DomainsPage } from '../features/domains/domains-page.tsx';
import { MailboxesPage } from '../features/mailboxes/mailboxes-page.tsx';
import { MigrationsPage } from '../features/migrations/migrations-page.tsx';
import { OverviewPage } from '../features/overview/overview-page.tsx';
import { ReportsPage } from '../features/reports/reports-page.tsx';
import { RoutingPanel } from '../features/routing/routing-panel.tsx';
import { DriftPage } from '../features/standards/drift-page.tsx';
import { SettingsPage } from '../features/settings/settings-page.tsx';
import { StoragePanel } from '../features/storage/storage-panel.tsx';
import { useSearch } from '../state/search-store.ts';
import { applyTheme, useTheme } from '../state/theme-store.ts';
import { useToasts } from '../state/toast-store.ts';
import { ErrorBoundary } from './error-boundary.tsx';
import type { RouteId } from './routes.ts';
import { ShortcutSheet } from './shortcut-sheet.tsx';
import { Sidebar } from './sidebar.tsx';
import { navigate, useRoute } from './use-route.ts';
import { useShortcuts } from './use-shortcuts.ts';
import { VaultBanner } from './vault-banner.tsx';

// A page that shows another feature's panel gets it here, so no feature imports another.
const PAGES: Record<RouteId, ComponentType> = {
  overview: OverviewOrReport,
  domains: () => <DomainsPage storage={<StoragePanel />} />,
  mailboxes: () => <MailboxesPage routing={<RoutingPanel />} />,
  deliverability: DeliverabilityPage,
  reports: ReportsPage,
  drift: DriftPage,
  migrations: MigrationsPage,
  activity: ActivityPage,
  connections: ConnectionsPage,
  settings: SettingsPage,
};

/** The console shell: sidebar, filter bar, the current page, toasts and global shortcuts. */
export function App() {
  return (
    <ErrorBoundary fallback={(error) => <Crashed error={error} />}>
      {hasSession ? <Shell /> : <NoSession />}
    </ErrorBoundary>
  );
}

// A customer's monthly report lives under the Overview (`#/overview/report?customer=…`), where its link is.
function OverviewOrReport() {
  const report = useReportQuery();
  return report ? <MonthlyReportPage query={report} /> : <OverviewPage changes={<ChangesCard />} />;
}

function Shell() {
  const route = useRoute();
  const [help, setHelp] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const { query, setQuery } = useSearch();
  const preference = useTheme((s) => s.preference);
  const toasts = useToasts();
  useEffect(() => applyTheme(preference), [preference]);
  useEffect(() => void useAppInfo.getState().load(), []);
  useEffect(() => {
    setQuery('');
    document.title = `${route.label} · Mailroom`;
  }, [route, setQuery]);
  const actions = useMemo(
    () => ({ navigate, focusSearch: () => searchRef.current?.focus(), toggleHelp: () => setHelp((h) => !h) }),
    [],
  );
  useShortcuts(actions);
  useFindingAlerts();
  const closeHelp = useCallback(() => setHelp(false), []);
  // The next page renders in the background, in slices between frames, while the sidebar already shows where it goes:
  // a page of 1,000 domains then costs no frame longer than a slice.
  const shown = useDeferredValue(route);
  const Page = PAGES[shown.id];
  // The page is its own element until the deferred route moves: the sidebar's urgent re-render on a hash change (a
  // synchronous one: the route is an external store) does not render the page being left once more on the way out.
  const page = useMemo(() => <Page />, [Page]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar current={route.id} onShowShortcuts={() => setHelp(true)} />
      <div className="shell__main">
        <div className="topbar">
          {route.filter ? (
            <div className="search">
              <Icon name="search" size={16} />
              <label htmlFor="global-filter" className="visually-hidden">
                Filter
              </label>
              <input
                id="global-filter"
                ref={searchRef}
                type="search"
                className="search__input"
                placeholder={route.filter}
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                onKeyDown={(e) => e.key === 'Escape' && (setQuery(''), e.currentTarget.blur())}
              />
              <kbd className="search__hint">/</kbd>
            </div>
          ) : (
            <span />
          )}
          <Button size="sm" variant="ghost" onClick={() => setHelp(true)} icon={<Icon name="keyboard" size={16} />}>
            Shortcuts
          </Button>
        </div>
        <VaultBanner />
        <main id="main" className="content" tabIndex={-1}>
          <ErrorBoundary resetKey={shown.id} fallback={(error, reset) => <PageCrashed error={error} onRetry={reset} />}>
            {page}
          </ErrorBoundary>
        </main>
      </div>
      <ToastList toasts={toasts.toasts} onDismiss={toasts.dismiss} />
      {help ? <ShortcutSheet onClose={closeHelp} /> : null}
    </div>
  );
}

function PageCrashed({ error, onRetry }: { readonly error: Error; readonly onRetry: () => void }) {
  return (
    <EmptyState title="This page hit a problem" icon={<Icon name="alert" size={28} />} action={<Button onClick={onRetry}>Try again</Button>}>
      <p>Mailroom could not show this page. Other pages still work.</p>
      <p className="muted">
        <code>{error.message}</code>
      </p>
    </EmptyState>
  );
}

function Crashed({ error }: { readonly error: Error }) {
  return (
    <div className="fullscreen-message">
      <EmptyState title="Mailroom hit a problem" icon={<Icon name="alert" size={28} />} action={<Button variant="primary" onClick={() => location.reload()}>Reload</Button>}>
        <p>The console stopped because of an internal error. Reloading usually helps; nothing you saved is lost.</p>
        <p className="muted">
          <code>{error.message}</code>
        </p>
      </EmptyState>
    </div>
  );
}

function NoSession() {
  const command = useAppInfo((s) => s.command);
  useEffect(() => void useAppInfo.getState().load(), []);
  return (
    <div className="fullscreen-message">
      <EmptyState title="Open Mailroom from its address" icon={<Icon name="shield" size={28} />}>
        <p>
          <RichText text={errorText('transport.unauthorized', command)} />
        </p>
        <p className="muted">
          If it is not running, start it again with <code>{command}</code> and open the full address it prints, including the part after #.
        </p>
      </EmptyState>
    </div>
  );
}
