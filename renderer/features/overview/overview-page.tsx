import { useEffect, useState, type ReactNode } from 'react';
import type { AuditEntry } from '../../../shared/domain/audit.ts';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { followConnections, useConnections } from '../../state/connections-store.ts';

interface OverviewData {
  readonly connections: readonly ConnectionSummary[];
  readonly activity: readonly AuditEntry[];
  readonly activityTotal: number;
}

/** Overview: how many connections, how their last tests went, and the latest changes (`changes`, the deliverability card composed by the app). */
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
  return (
    <>
      <div className="stats">
        <Stat label="Connections" value={data.connections.length} href="#/connections" />
        <Stat label="Last tests passing" value={`${tested.length - failing} / ${tested.length}`} tone={failing > 0 ? 'danger' : 'success'} />
        <Stat label="Journal entries" value={data.activityTotal} href="#/activity" />
      </div>
      <div className="grid-2">
        <section className="card" aria-labelledby="last-tests-title">
          <h2 id="last-tests-title" className="card__title">Last tests</h2>
          <ul className="list">
            {data.connections.map((c) => (
              <li key={c.id} className="list__row">
                <span className="list__main">{c.name}</span>
                {c.lastTest ? (
                  <>
                    <Badge tone={c.lastTest.ok ? 'success' : 'danger'}>{c.lastTest.ok ? 'Passed' : 'Failed'}</Badge>
                    <RelativeTime iso={c.lastTest.at} className="muted" />
                  </>
                ) : (
                  <span className="muted">Never tested</span>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="recent-activity-title">
          <h2 id="recent-activity-title" className="card__title">Recent activity</h2>
          {data.activity.length === 0 ? (
            <p className="muted">No changes yet.</p>
          ) : (
            <ul className="list">
              {data.activity.map((e) => (
                <li key={e.seq} className="list__row">
                  <code className="mono list__main">{e.action}</code>
                  <span className="list__object">{e.object}</span>
                  <Badge tone={e.result === 'ok' ? 'success' : 'danger'}>{e.result === 'ok' ? 'OK' : 'Error'}</Badge>
                  <RelativeTime iso={e.at} className="muted" />
                </li>
              ))}
            </ul>
          )}
          <a className="card__link" href="#/activity">All activity →</a>
        </section>
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

function useOverviewData(): { readonly data: OverviewData | null; readonly error: AppError | null } {
  const connections = useConnections();
  const [activity, setActivity] = useState<{ readonly entries: readonly AuditEntry[]; readonly total: number } | null>(null);
  const [activityError, setActivityError] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    const load = async () => {
      const result = await api.audit.list({ limit: 6 });
      if (!live) return;
      if (result.ok) setActivity(result.value);
      setActivityError(result.ok ? null : result.error);
    };
    void useConnections.getState().load();
    void load();
    const offs = [followConnections(), api.on('connections.changed', () => void load()), api.on('audit.appended', () => void load())];
    return () => {
      live = false;
      offs.forEach((off) => off());
    };
  }, []);
  const error = (connections.loaded ? connections.loadError : null) ?? activityError;
  const data = connections.loaded && activity ? { connections: connections.items, activity: activity.entries, activityTotal: activity.total } : null;
  return { data, error };
}
