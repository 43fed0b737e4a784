import { useEffect, useMemo, useState } from 'react';
import type { MigrationBatch } from '../../../shared/domain/migration.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon, type IconName } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { ThroughputChart } from '../../components/throughput-chart.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { downloadText } from '../../lib/csv.ts';
import { notifyError } from '../../state/toast-store.ts';
import { ACTION_LABEL, BATCH_STATUS, batchActions, progressOf } from './batch-model.ts';
import { formatByteRate, formatCount, formatEta, formatMessageRate, formatPercent } from './migration-format.ts';
import { ACTIVE_STATUSES, exportReportCsv, useMigrations, type BatchAction } from './migrations-store.ts';
import { go, useHotkeys } from './navigation.ts';
import { PairsTable } from './pairs-table.tsx';
import { BackLink, Stat } from './plan-view.tsx';
import { rateSeries } from './throughput.ts';

const ACTION_ICON: Record<BatchAction, IconName> = { pause: 'pause', resume: 'play', cancel: 'stop', retryFailed: 'refresh', deltaPass: 'refresh', verify: 'shield' };

/** One batch: overall and per-mailbox progress, rates, controls, errors with retry, and the verification report. */
export function BatchView({ id }: { readonly id: string }) {
  const loaded = useMigrations((s) => s.batchDetails[id]);
  useEffect(() => {
    void useMigrations.getState().openBatch(id);
  }, [id]);
  if (!loaded) return <div className="loading"><Spinner label="Loading the batch" /></div>;
  if (!loaded.ok) return (
    <div className="page">
      <BackLink />
      <ErrorMessage error={loaded.error} title="Could not open this batch." />
    </div>
  );
  return <BatchDetail batch={loaded.value} />;
}

function BatchDetail({ batch }: { readonly batch: MigrationBatch }) {
  const samples = useMigrations((s) => s.samples[batch.id]);
  const series = useMemo(() => rateSeries(samples ?? []), [samples]);
  const [busy, setBusy] = useState<BatchAction | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const status = BATCH_STATUS[batch.status];
  const active = ACTIVE_STATUSES.has(batch.status);
  const failures = batch.failed + batch.pairsFailed;
  const actions = batchActions(batch.status, failures);
  const progress = progressOf(batch);
  const finished = batch.status === 'done' || batch.status === 'failed' || batch.status === 'cancelled';
  const verified = batch.pairs.filter((p) => p.verified);
  const clean = verified.filter((p) => p.verified?.clean).length;

  const act = async (action: BatchAction) => {
    if (action === 'cancel' && !confirmCancel) return setConfirmCancel(true);
    setConfirmCancel(false);
    setBusy(action);
    const result = await useMigrations.getState().control(batch.id, action);
    setBusy(null);
    if (!result.ok) notifyError(`${ACTION_LABEL[action]} did not work`, result.error, { object: batch.planName });
    else if (result.value.id !== batch.id) go({ view: 'batch', id: result.value.id });
  };
  const exportCsv = async () => {
    const result = await exportReportCsv(batch.id);
    if (result.ok) downloadText(`mailroom-verification-${batch.planName}-${batch.id}.csv`, result.value);
    else notifyError('Export failed', result.error, { object: batch.planName });
  };
  const toggle = (seq: number) => setOpen((s) => (s.has(seq) ? new Set([...s].filter((x) => x !== seq)) : new Set([...s, seq])));
  useHotkeys({
    p: () => (batch.status === 'running' ? void act('pause') : actions.includes('resume') ? void act('resume') : undefined),
    e: () => void exportCsv(),
  });

  return (
    <div className="page page--wide">
      <BackLink />
      <PageHeader
        title={`Batch · ${batch.planName}`}
        description={
          <span className="batch-meta">
            <Badge tone={status.tone}>{status.label}</Badge>
            {batch.dryRun ? <Badge>Dry run</Badge> : null}
            <span>
              started <RelativeTime iso={batch.createdAt} /> · {batch.pairsTotal} mailboxes · <a href={`#/migrations/plan/${encodeURIComponent(batch.planId)}`}>open the plan</a>
            </span>
          </span>
        }
        actions={
          <>
            {actions.map((a) => (
              <Button
                key={a}
                variant={a === 'resume' ? 'primary' : a === 'cancel' ? 'ghost' : 'secondary'}
                className={a === 'cancel' ? 'btn--danger-text' : undefined}
                busy={busy === a}
                disabled={busy !== null}
                onClick={() => void act(a)}
                icon={<Icon name={ACTION_ICON[a]} size={16} />}
              >
                {ACTION_LABEL[a]}
              </Button>
            ))}
            <Button onClick={() => void exportCsv()} icon={<Icon name="download" size={16} />} disabled={verified.length === 0}>
              Export report
            </Button>
          </>
        }
      />
      {batch.status === 'interrupted' ? (
        <div className="banner banner--warning" role="status">
          <Badge tone="warning">Interrupted</Badge>
          <span>Mailroom stopped while this batch was running. Resume continues where it stopped: nothing is copied twice and nothing is skipped.</span>
        </div>
      ) : null}
      <section className={`card overall ${batch.status === 'done' ? 'overall--done' : ''}`} aria-label="Overall progress">
        <div className="overall__top">
          <div>
            <span className="overall__percent">{formatPercent(progress.done, progress.total)}</span>
            <span className="overall__of">
              {formatCount(progress.done)} of {formatCount(progress.total)} messages · {formatBytes(batch.bytes)}
            </span>
          </div>
          <div className="overall__stats">
            <Stat label="ETA" value={finished ? '—' : active ? formatEta(batch.etaSeconds) : 'Paused'} />
            <Stat label="Messages/s" value={active ? formatMessageRate(batch.messagesPerSecond) : '—'} />
            <Stat label="Throughput" value={active ? formatByteRate(batch.bytesPerSecond) : '—'} />
            <Stat label="Mailboxes" value={`${batch.pairsDone}/${batch.pairsTotal}`} sub={batch.pairsFailed ? `${batch.pairsFailed} failed` : undefined} tone={batch.pairsFailed ? 'danger' : undefined} />
          </div>
        </div>
        <ProgressBar value={progress.done} max={Math.max(progress.total, 1)} label="Overall progress" />
        {series.x.length >= 2 ? (
          <ThroughputChart data={series} label="Throughput of this batch: messages per second and MB per second" />
        ) : (
          <p className="list-meta">{active ? 'The throughput chart fills in as messages are copied.' : 'The throughput chart shows while this window watches a batch run.'}</p>
        )}
      </section>
      {finished && verified.length ? (
        <div className={`banner banner--${clean === verified.length ? 'success' : 'danger'}`} role="status" aria-label="Verification">
          <Badge tone={clean === verified.length ? 'success' : 'danger'}>{clean === verified.length ? 'Verified clean' : 'Differences found'}</Badge>
          <span>
            {clean} of {verified.length} mailboxes verified clean: every source message is on the target once.
            {clean < verified.length ? ' Open a mailbox to see which folders differ, then Retry failed.' : ''}
          </span>
        </div>
      ) : null}
      <PairsTable batch={batch} open={open} onToggle={toggle} onRetry={() => void act('retryFailed')} retrying={busy === 'retryFailed'} batchActive={active} />
      <p className="list-meta keys-hint">
        Keys: <kbd>p</kbd> pause or resume · <kbd>e</kbd> export the report · <kbd>n</kbd> new plan
      </p>
      {confirmCancel ? (
        <ConfirmDialog title="Cancel this batch?" confirmLabel="Cancel batch" danger onConfirm={() => void act('cancel')} onCancel={() => setConfirmCancel(false)}>
          <p>Copying stops after the messages in flight. What was copied stays on the target and is recorded, so a later run does not copy it twice.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
