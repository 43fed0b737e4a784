import type { ReactNode } from 'react';
import type { AppError } from '../../../shared/errors/result.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { CustomerCounts } from './customer-counts.tsx';
import { HealthCard, MigrationsCard, PlatformCounts, RecentActivity } from './overview-cards.tsx';
import { useOverviewData, type OverviewData } from './overview-data.ts';
import './overview.css';

/** Overview: counts per customer and platform (with storage and drift), health (connection tests, deliverability), running migrations and the latest changes (`changes`, the deliverability card composed by the app). */
export function OverviewPage({ changes }: { readonly changes: ReactNode }) {
  const { data, error } = useOverviewData();
  return (
    <div className="page">
      <PageHeader title="Overview" description="The state of every platform Mailroom manages." />
      {changes}
      <OverviewBody data={data} error={error} />
    </div>
  );
}

function OverviewBody({ data, error }: { readonly data: OverviewData | null; readonly error: AppError | null }) {
  if (error) return <ErrorMessage error={error} title="Could not load the overview." />;
  if (!data) return <div className="loading"><Spinner label="Loading overview" /></div>;
  if (data.connections.length === 0) {
    return (
      <EmptyState
        title="Welcome to Mailroom"
        icon={<Icon name="plug" size={28} />}
        action={<a className="btn btn--primary" href="#/connections">Add a connection</a>}
      >
        <p>Nothing is connected yet. Start by adding a connection to a mail server on the Connections page; domains, mailboxes and checks build on it.</p>
      </EmptyState>
    );
  }
  const tested = data.connections.filter((c) => c.lastTest);
  const failing = tested.filter((c) => !c.lastTest!.ok).length;
  const domains = data.platforms.reduce((n, p) => n + p.domains, 0);
  const mailboxes = data.platforms.reduce((n, p) => n + p.mailboxes, 0);
  return (
    <>
      <div className="stats">
        <Stat label="Connections" value={data.connections.length} href="#/connections" />
        <Stat label="Domains" value={domains.toLocaleString()} href="#/domains" />
        <Stat label="Mailboxes" value={mailboxes.toLocaleString()} href="#/mailboxes" />
        <Stat label="Last tests passing" value={`${tested.length - failing} / ${tested.length}`} tone={failing > 0 ? 'danger' : 'success'} />
        <Stat label="Running migrations" value={data.migrations?.length ?? '—'} href="#/migrations" />
        <Stat label="Deviations" value={data.evaluations ? data.evaluations.reduce((n, e) => n + e.deviations.length, 0).toLocaleString() : '—'} />
        <Stat label="Journal entries" value={data.activityTotal.toLocaleString()} href="#/activity" />
      </div>
      <CustomerCounts customers={data.customers} evaluations={data.evaluations} />
      <div className="grid-2">
        <PlatformCounts platforms={data.platforms} />
        <HealthCard checks={data.checks} connections={data.connections} />
      </div>
      <div className="grid-2">
        <MigrationsCard batches={data.migrations} />
        <RecentActivity entries={data.activity} connections={data.connections} />
      </div>
    </>
  );
}

function Stat({ label, value, href, tone }: { readonly label: string; readonly value: string | number; readonly href?: string; readonly tone?: 'success' | 'danger' }) {
  const body = (
    <>
      <span className="stat__value">{value}</span>
      <span className="stat__label">{label}</span>
    </>
  );
  const className = `stat card ${tone ? `stat--${tone}` : ''}`;
  return href ? <a className={`${className} stat--link`} href={href}>{body}</a> : <div className={className}>{body}</div>;
}
