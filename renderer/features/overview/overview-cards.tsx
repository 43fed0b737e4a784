import type { AuditEntry } from '../../../shared/domain/audit.ts';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { CheckRunSummary } from '../../../shared/domain/dns.ts';
import type { MigrationBatchSummary } from '../../../shared/domain/migration.ts';
import { Badge } from '../../components/badge.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { connectionNames, describeAudit } from '../../lib/audit-text.ts';
import { naturalCompare } from '../../lib/natural-sort.ts';
import type { PlatformCount } from './overview-data.ts';
import { platformName } from '../../lib/platform-name.ts';


/** Domains and mailboxes per connection, grouped by platform, with each connection's last test. */
export function PlatformCounts({ platforms }: { readonly platforms: readonly PlatformCount[] }) {
  const kinds = [...new Set(platforms.map((p) => p.connection.kind))].sort((a, b) => naturalCompare(platformName(a), platformName(b)));
  return (
    <section className="card" aria-labelledby="per-platform-title">
      <h2 id="per-platform-title" className="card__title">Per platform</h2>
      <table className="table overview-table">
        <caption className="visually-hidden">Domains and mailboxes per connection</caption>
        <thead>
          <tr>
            <th scope="col">Connection</th>
            <th scope="col" className="table__num">Domains</th>
            <th scope="col" className="table__num">Mailboxes</th>
            <th scope="col">Last test</th>
          </tr>
        </thead>
        {kinds.map((kind) => {
          const rows = platforms.filter((p) => p.connection.kind === kind);
          return (
            <tbody key={kind}>
              <tr className="overview-table__group">
                <th scope="rowgroup">{platformName(kind)}</th>
                <td className="table__num">{kind === 'imap' ? '—' : rows.reduce((n, p) => n + p.domains, 0).toLocaleString()}</td>
                <td className="table__num">{kind === 'imap' ? '—' : rows.reduce((n, p) => n + p.mailboxes, 0).toLocaleString()}</td>
                <td />
              </tr>
              {rows.map((p) => (
                <tr key={p.connection.id}>
                  <th scope="row" className="overview-table__name">
                    {p.connection.name}
                  </th>
                  <td className="table__num">{kind === 'imap' ? '—' : p.domains.toLocaleString()}</td>
                  <td className="table__num">{kind === 'imap' ? '—' : p.mailboxes.toLocaleString()}</td>
                  <td>
                    <LastTest connection={p.connection} />
                  </td>
                </tr>
              ))}
            </tbody>
          );
        })}
      </table>
      <a className="card__link" href="#/domains">
        Domains →
      </a>
    </section>
  );
}

function LastTest({ connection: c }: { readonly connection: ConnectionSummary }) {
  if (!c.lastTest) return <span className="muted">Never tested</span>;
  return (
    <span className="last-test">
      <Badge tone={c.lastTest.ok ? 'success' : 'danger'}>{c.lastTest.ok ? 'Passed' : 'Failed'}</Badge>
      <RelativeTime iso={c.lastTest.at} className="muted" />
    </span>
  );
}

/** Deliverability at a glance: how many domains were checked, their average, and the worst ones. */
export function HealthCard({ checks, connections }: { readonly checks: readonly CheckRunSummary[] | null; readonly connections: readonly ConnectionSummary[] }) {
  const tested = connections.filter((c) => c.lastTest);
  const failing = tested.filter((c) => !c.lastTest!.ok);
  const worst = [...(checks ?? [])].sort((a, b) => a.score - b.score || naturalCompare(a.domain, b.domain)).slice(0, 5);
  const average = checks && checks.length ? Math.round(checks.reduce((n, r) => n + r.score, 0) / checks.length) : null;
  return (
    <section className="card" aria-labelledby="health-title">
      <h2 id="health-title" className="card__title">Health</h2>
      <dl className="facts">
        <dt>Connection tests</dt>
        <dd>
          {tested.length === 0 ? (
            <span className="muted">None tested yet</span>
          ) : failing.length ? (
            <Badge tone="danger">{`${failing.length} of ${tested.length} failing: ${failing.map((c) => c.name).join(', ')}`}</Badge>
          ) : (
            <Badge tone="success">{`All ${tested.length} passing`}</Badge>
          )}
        </dd>
        <dt>Deliverability</dt>
        <dd>{checks === null ? <span className="muted">Not available</span> : checks.length === 0 ? <span className="muted">No domain checked yet</span> : `${checks.length.toLocaleString()} domains checked, average ${average} / 100`}</dd>
      </dl>
      {worst.length ? (
        <ul className="list" aria-label="Lowest deliverability scores">
          {worst.map((r) => (
            <li key={r.domain} className="list__row">
              <span className="list__main">{r.domain}</span>
              <Badge tone={r.score >= 80 ? 'success' : r.score >= 50 ? 'warning' : 'danger'}>{`${r.score} / 100`}</Badge>
              <RelativeTime iso={r.at} className="muted" />
            </li>
          ))}
        </ul>
      ) : null}
      <a className="card__link" href="#/deliverability">
        Deliverability →
      </a>
    </section>
  );
}

const STATUS_TONE = { running: 'info', pausing: 'warning', paused: 'warning', interrupted: 'danger' } as const;

/** Migration batches still under way, with their progress. */
export function MigrationsCard({ batches }: { readonly batches: readonly MigrationBatchSummary[] | null }) {
  return (
    <section className="card" aria-labelledby="running-migrations-title">
      <h2 id="running-migrations-title" className="card__title">Running migrations</h2>
      {batches === null ? (
        <p className="muted">The migration batches could not be read.</p>
      ) : batches.length === 0 ? (
        <p className="muted">No migration is running.</p>
      ) : (
        <ul className="list">
          {batches.map((b) => (
            <li key={b.id} className="list__row overview-batch">
              <span className="list__main">{b.planName}</span>
              <Badge tone={STATUS_TONE[b.status as keyof typeof STATUS_TONE] ?? 'neutral'}>{b.status}</Badge>
              <span className="muted">{`${b.pairsDone} of ${b.pairsTotal} mailboxes`}</span>
              <ProgressBar value={b.pairsTotal ? (b.pairsDone / b.pairsTotal) * 100 : 0} label={`Progress of ${b.planName}`} />
            </li>
          ))}
        </ul>
      )}
      <a className="card__link" href="#/migrations">
        Migrations →
      </a>
    </section>
  );
}

/** The latest journal entries in words, objects by name. */
export function RecentActivity({ entries, connections }: { readonly entries: readonly AuditEntry[]; readonly connections: readonly ConnectionSummary[] }) {
  const names = connectionNames(entries, connections);
  return (
    <section className="card" aria-labelledby="recent-activity-title">
      <h2 id="recent-activity-title" className="card__title">Recent activity</h2>
      {entries.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <ul className="list">
          {entries.map((e) => {
            const words = describeAudit(e, names);
            return (
              <li key={e.seq} className="list__row">
                <span className="list__main" title={words.summary}>
                  {words.summary}
                </span>
                {words.connection ? <span className="list__object">{words.connection}</span> : null}
                <Badge tone={e.result === 'ok' ? 'success' : 'danger'}>{e.result === 'ok' ? 'OK' : 'Error'}</Badge>
                <RelativeTime iso={e.at} className="muted" />
              </li>
            );
          })}
        </ul>
      )}
      <a className="card__link" href="#/activity">
        All activity →
      </a>
    </section>
  );
}
