import { useEffect, useState, type ReactNode } from 'react';
import type { AuditEntry } from '../../../shared/domain/audit.ts';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { ChangesCard } from '../deliverability/changes-card.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';

interface OverviewData {
  readonly connections: readonly ConnectionSummary[];
  readonly activity: readonly AuditEntry[];
  readonly activityTotal: number;
}

/** Overview: how many connections, how their last tests went, and the latest changes. */
export function OverviewPage() {
  const { data, error } = useOverviewData();
  if (error) return <Frame><ErrorMessage error={error} title="Could not load the overview." /></Frame>;
  if (!data) return <Frame><div className="loading"><Spinner label="Loading overview" /></div></Frame>;
  if (data.connections.length === 0) {
    return (
      <Frame>
        <EmptyState
          title="Welcome to Mailroom"
          icon={<Icon name="plug" size={28} />}
          action={<a className="btn btn--primary" href="#/connections">Add a connection</a>}
        >
          <p>Nothing is connected yet. Start by adding a connection to a mail server on the Connections page; domains, mailboxes and checks build on it.</p>
        </EmptyState>
      </Frame>
    );
  }
  const tested = data.connections.filter((c) => c.lastTest);
  const failing = tested.filter((c) => !c.lastTest!.ok).length;
  return (
    <Frame>
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
    </Frame>
  );
}

function Frame({ children }: { readonly children: ReactNode }) {
  return (
    <div className="page">
      <PageHeader title="Overview" description="The state of every platform Mailroom manages." />
      <ChangesCard />
      {children}
    </div>
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
  const [state, setState] = useState<{ data: OverviewData | null; error: AppError | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    const load = async () => {
      const [connections, activity] = await Promise.all([api.connections.list(), api.audit.list({ limit: 6 })]);
      if (!live) return;
      if (!connections.ok) setState({ data: null, error: connections.error });
      else if (!activity.ok) setState({ data: null, error: activity.error });
      else setState({ data: { connections: connections.value, activity: activity.value.entries, activityTotal: activity.value.total }, error: null });
    };
    void load();
    const offs = [api.on('connections.changed', () => void load()), api.on('audit.appended', () => void load())];
    return () => {
      live = false;
      offs.forEach((off) => off());
    };
  }, []);
  return state;
}
