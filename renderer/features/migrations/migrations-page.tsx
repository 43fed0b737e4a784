import { useEffect, useState } from 'react';
import type { MigrationBatchSummary } from '../../../shared/domain/migration.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { Table } from '../../components/table.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { matchesQuery, useSearch } from '../../state/search-store.ts';
import { notify, notifyError } from '../../state/toast-store.ts';
import { BATCH_STATUS, progressOf } from './batch-model.ts';
import { BatchView } from './batch-view.tsx';
import { FleetPanel } from './fleet-panel.tsx';
import { formatCount, formatEta, formatMessageRate, formatPercent } from './migration-format.ts';
import { followMigrations, RESUMABLE_STATUSES, sortBatches, useMigrations } from './migrations-store.ts';
import { go, useHotkeys, useMigrationView } from './navigation.ts';
import { NewPlanDialog, type PlanSource } from './new-plan-dialog.tsx';
import { PlanView } from './plan-view.tsx';
import { PRESET_LABELS } from './presets.ts';
import './migrations.css';
import './migrations-batches.css';

/** Migrations: plan mailbox moves offline, run them batch by batch with live progress, and verify the result. */
export function MigrationsPage() {
  const view = useMigrationView();
  const [creating, setCreating] = useState<PlanSource | null>(null);
  useEffect(() => {
    void useMigrations.getState().load();
    return followMigrations();
  }, []);
  useHotkeys({ n: () => setCreating('csv') });
  return (
    <>
      {view.view === 'plan' ? <PlanView id={view.id} /> : view.view === 'batch' ? <BatchView id={view.id} /> : <MigrationList onNew={setCreating} />}
      {creating ? (
        <NewPlanDialog
          initial={creating}
          onCancel={() => setCreating(null)}
          onCreated={(plan) => {
            setCreating(null);
            notify({ tone: 'success', title: `Plan “${plan.name}” created`, body: `${plan.mailboxes} mailboxes, about ${formatEta(plan.batchSeconds)}.` });
            go({ view: 'plan', id: plan.id });
          }}
        />
      ) : null}
    </>
  );
}

function MigrationList({ onNew }: { readonly onNew: (source: PlanSource) => void }) {
  const store = useMigrations();
  const query = useSearch((s) => s.query);
  const plans = store.plans.filter((p) => matchesQuery(query, [p.name, p.targetPreset]));
  const batches = sortBatches(store.batches).filter((b) => matchesQuery(query, [b.planName, b.status]));
  const empty = store.plans.length === 0 && store.batches.length === 0;
  return (
    <div className="page page--wide">
      <PageHeader
        title="Migrations"
        description="Plan mailbox moves between platforms offline, then run them batch by batch with live progress and a verification report."
        actions={
          empty ? null : (
            <Button variant="primary" onClick={() => onNew('csv')} icon={<Icon name="plus" size={16} />} title="Shortcut: n">
              New plan
            </Button>
          )
        }
      />
      {!store.loaded ? (
        <div className="loading">
          <Spinner label="Loading migrations" />
        </div>
      ) : store.loadError ? (
        <ErrorMessage error={store.loadError} title="Could not load the migration plans." />
      ) : empty ? (
        <EmptyState
          title="No migration plans yet"
          icon={<Icon name="migrations" size={28} />}
          action={
            <div className="empty-actions">
              <Button variant="primary" onClick={() => onNew('csv')} icon={<Icon name="upload" size={16} />}>
                Import a CSV of pairs
              </Button>
              <Button onClick={() => onNew('connections')} icon={<Icon name="connections" size={16} />}>
                Pick two connections
              </Button>
            </div>
          }
        >
          <p>No migration plans yet — import a CSV of mailbox pairs or pick two connections.</p>
          <p>Mailroom takes an inventory, estimates the time from the target’s limits, flags what the target will refuse, and lays out the DNS cut-over. Press <kbd>n</kbd> any time for a new plan.</p>
        </EmptyState>
      ) : (
        <>
          {batches.length ? <BatchList batches={batches} /> : null}
          <FleetPanel />
          <section className="panel-stack" aria-label="Plans">
            <h2 className="section-title">Plans</h2>
            {plans.length === 0 ? (
              <EmptyState title="No plan matches the filter" />
            ) : (
              <Table
                caption="Migration plans"
                head={
                  <tr>
                    <th>Plan</th>
                    <th>Target</th>
                    <th className="table__num">Mailboxes</th>
                    <th className="table__num">Messages</th>
                    <th className="table__num">Size</th>
                    <th className="table__num">Batch ETA</th>
                    <th>Warnings</th>
                    <th>Updated</th>
                  </tr>
                }
              >
                {plans.map((p) => (
                  <tr key={p.id} aria-label={`Plan ${p.name}`}>
                    <td className="table__primary">
                      <a className="table__link" href={`#/migrations/plan/${encodeURIComponent(p.id)}`}>
                        {p.name}
                      </a>
                    </td>
                    <td>{PRESET_LABELS[p.targetPreset]}</td>
                    <td className="table__num">{formatCount(p.mailboxes)}</td>
                    <td className="table__num">{formatCount(p.messages)}</td>
                    <td className="table__num">{formatBytes(p.bytes)}</td>
                    <td className="table__num">{formatEta(p.batchSeconds)}</td>
                    <td>{p.warnings ? <Badge tone="warning">{p.warnings} warnings</Badge> : <Badge tone="success">None</Badge>}</td>
                    <td className="muted">
                      <RelativeTime iso={p.updatedAt} />
                    </td>
                  </tr>
                ))}
              </Table>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function BatchList({ batches }: { readonly batches: readonly MigrationBatchSummary[] }) {
  const [resuming, setResuming] = useState<string | null>(null);
  const resume = async (b: MigrationBatchSummary) => {
    setResuming(b.id);
    const result = await useMigrations.getState().control(b.id, 'resume');
    setResuming(null);
    if (result.ok) go({ view: 'batch', id: b.id });
    else notifyError('Could not resume the batch', result.error);
  };
  return (
    <section className="panel-stack" aria-label="Batches">
      <h2 className="section-title">Batches</h2>
      <ul className="batch-cards">
        {batches.map((b) => {
          const s = BATCH_STATUS[b.status];
          const p = progressOf(b);
          return (
            <li key={b.id} className={`batch-card batch-card--${b.status}`} aria-label={`Batch ${b.planName}, ${s.label}`}>
              <div className="batch-card__head">
                <a className="batch-card__name" href={`#/migrations/batch/${encodeURIComponent(b.id)}`}>
                  {b.planName}
                </a>
                <Badge tone={s.tone}>{s.label}</Badge>
              </div>
              <ProgressBar value={p.done} max={Math.max(p.total, 1)} label={`Progress of batch ${b.planName}`} />
              <div className="batch-card__meta">
                <span>
                  {formatPercent(p.done, p.total)} · {b.pairsDone}/{b.pairsTotal} mailboxes
                  {b.status === 'running' ? ` · ${formatMessageRate(b.messagesPerSecond)} · ${formatEta(b.etaSeconds)} left` : ''}
                </span>
                <RelativeTime iso={b.updatedAt} className="muted" />
              </div>
              {RESUMABLE_STATUSES.has(b.status) ? (
                <Button size="sm" variant="primary" busy={resuming === b.id} onClick={() => void resume(b)} icon={<Icon name="play" size={14} />} aria-label={`Resume ${b.planName}`}>
                  Resume
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
