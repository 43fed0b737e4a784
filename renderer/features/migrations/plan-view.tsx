import { useEffect, useMemo, useState } from 'react';
import type { GmailLabelsChoice, MigrationPlan, MigrationPresetName, StartBatchOptions } from '../../../shared/domain/migration.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { formatBytes } from '../../lib/bytes.ts';
import { downloadText } from '../../lib/csv.ts';
import { notify, notifyError } from '../../state/toast-store.ts';
import { CutoverTimeline } from './cutover-timeline.tsx';
import { formatCount, formatEta } from './migration-format.ts';
import { exportPlanCsv, latestBatchOf, RESUMABLE_STATUSES, ACTIVE_STATUSES, useMigrations } from './migrations-store.ts';
import { batchSeconds, draftOf, draftPatch, firstPassStart, planTotals, type PlanDraft } from './plan-model.ts';
import { PlanTable } from './plan-table.tsx';
import { PRESET_LABELS, PRESET_OPTIONS } from './presets.ts';
import { RunBatchDialog } from './run-batch-dialog.tsx';
import { go, useHotkeys } from './navigation.ts';

/** One plan: estimates and warnings per mailbox, offline edits, the cut-over timeline, Export and Run. */
export function PlanView({ id }: { readonly id: string }) {
  const loaded = useMigrations((s) => s.planDetails[id]);
  useEffect(() => {
    void useMigrations.getState().openPlan(id);
  }, [id]);
  if (!loaded) return <div className="loading"><Spinner label="Loading the plan" /></div>;
  if (!loaded.ok) return (
    <div className="page">
      <BackLink />
      <ErrorMessage error={loaded.error} title="Could not open this plan." />
    </div>
  );
  return <PlanDetail key={`${loaded.value.id}-${loaded.value.updatedAt}`} plan={loaded.value} />;
}

function PlanDetail({ plan }: { readonly plan: MigrationPlan }) {
  const [draft, setDraft] = useState<PlanDraft>(() => draftOf(plan));
  const [saving, setSaving] = useState(false);
  const [starting, setStarting] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const batches = useMigrations((s) => s.batches);
  const patch = draftPatch(plan, draft);
  const kept = useMemo(() => plan.rows.filter((r) => !draft.excluded.has(r.seq)), [plan.rows, draft.excluded]);
  const totals = planTotals(kept);
  const eta = batchSeconds(kept.map((r) => r.estimate?.seconds ?? 0), draft.parallel);
  const latest = latestBatchOf(batches, plan.id);
  const busyBatch = latest && (ACTIVE_STATUSES.has(latest.status) || RESUMABLE_STATUSES.has(latest.status)) ? latest : null;

  const toggle = (seq: number) => setDraft((d) => ({ ...d, excluded: d.excluded.has(seq) ? new Set([...d.excluded].filter((x) => x !== seq)) : new Set([...d.excluded, seq]) }));
  const save = async () => {
    if (!patch) return;
    setSaving(true);
    const result = await useMigrations.getState().updatePlan(plan.id, patch);
    setSaving(false);
    if (result.ok) notify({ tone: 'success', title: 'Plan saved', body: `${result.value.mailboxes} mailboxes, about ${formatEta(result.value.batchSeconds)}.` });
    else notifyError('Could not save the plan', result.error, { object: plan.name });
  };
  const start = async (options: StartBatchOptions) => {
    const result = await useMigrations.getState().startBatch(plan.id, options);
    if (!result.ok) return result.error;
    setChoosing(false);
    go({ view: 'batch', id: result.value.id });
    return null;
  };
  const run = async () => {
    if (patch || kept.length === 0) return;
    setStarting(true);
    const error = await start({});
    setStarting(false);
    if (error) notifyError('The batch did not start', error, { object: plan.name });
  };
  const runOnFleet = () => {
    if (!patch && kept.length > 0) setChoosing(true);
  };
  const exportCsv = async () => {
    const result = await exportPlanCsv(plan.id);
    if (result.ok) downloadText(`mailroom-plan-${plan.name}.csv`, result.value);
    else notifyError('Export failed', result.error, { object: plan.name });
  };
  const remove = async () => {
    const result = await useMigrations.getState().removePlan(plan.id);
    setRemoving(false);
    if (result.ok) go({ view: 'list' });
    else notifyError('Could not delete the plan', result.error, { object: plan.name });
  };
  useHotkeys({ r: () => void run(), f: runOnFleet, e: () => void exportCsv(), s: () => void save() });

  return (
    <div className="page page--wide">
      <BackLink />
      <PageHeader
        title={plan.name}
        description={
          <>
            Into {PRESET_LABELS[plan.targetPreset]}
            {plan.sourcePreset ? ` from ${PRESET_LABELS[plan.sourcePreset]}` : ''} · created <RelativeTime iso={plan.createdAt} />
          </>
        }
        actions={
          <>
            <Button variant="ghost" className="btn--danger-text" onClick={() => setRemoving(true)}>
              Delete plan
            </Button>
            <Button onClick={() => void exportCsv()} icon={<Icon name="download" size={16} />}>
              Export CSV
            </Button>
            {busyBatch ? (
              <Button variant="primary" onClick={() => go({ view: 'batch', id: busyBatch.id })} icon={<Icon name="arrow-right" size={16} />}>
                {ACTIVE_STATUSES.has(busyBatch.status) ? 'View running batch' : 'View interrupted batch'}
              </Button>
            ) : (
              <>
                <Button disabled={patch !== null || kept.length === 0} onClick={runOnFleet} icon={<Icon name="play" size={16} />} title={patch ? 'Save or discard your changes first' : 'On mailroom workers through Redis. Shortcut: f'}>
                  Run on fleet…
                </Button>
                <Button variant="primary" busy={starting} disabled={patch !== null || kept.length === 0} onClick={() => void run()} icon={<Icon name="play" size={16} />} title={patch ? 'Save or discard your changes first' : 'Shortcut: r'}>
                  Run batch
                </Button>
              </>
            )}
          </>
        }
      />
      <div className="stat-row" role="group" aria-label="Plan summary">
        <Stat label="Mailboxes" value={formatCount(totals.mailboxes)} sub={draft.excluded.size ? `${draft.excluded.size} excluded` : undefined} />
        <Stat label="Messages" value={formatCount(totals.messages)} />
        <Stat label="To upload" value={formatBytes(totals.uploadBytes)} sub={totals.labelOverheadBytes ? `${formatBytes(totals.labelOverheadBytes)} label copies saved` : `of ${formatBytes(totals.bytes)}`} />
        <Stat label="Batch ETA" value={formatEta(eta)} sub={`${draft.parallel} mailboxes at a time`} />
        <Stat label="Warnings" value={formatCount(totals.warnings)} tone={totals.warnings ? 'warning' : 'success'} sub={totals.oversize ? `${totals.oversize} oversize messages` : undefined} />
      </div>
      {totals.withoutInventory ? (
        <div className="banner banner--warning" role="status">
          <Badge tone="warning">Offline plan</Badge>
          <span>{totals.withoutInventory} {totals.withoutInventory === 1 ? 'mailbox has' : 'mailboxes have'} no inventory yet, so sizes and times are unknown. The batch still copies everything.</span>
        </div>
      ) : null}
      {patch ? (
        <div className="draft-bar" role="region" aria-label="Unsaved changes">
          <span>You have unsaved changes to this plan. They are kept on this computer and need no network.</span>
          <Button size="sm" onClick={() => setDraft(draftOf(plan))}>Discard</Button>
          <Button size="sm" variant="primary" busy={saving} onClick={() => void save()}>Save changes</Button>
        </div>
      ) : null}
      <div className="plan-layout">
        <section className="plan-layout__main" aria-label="Mailboxes">
          <PlanTable rows={plan.rows} excluded={draft.excluded} onToggle={toggle} />
        </section>
        <aside className="plan-layout__side">
          <section className="card" aria-label="Plan settings">
            <h2 className="card__title">Settings</h2>
            <SelectField label="Target platform" value={draft.targetPreset} onChange={(e) => setDraft({ ...draft, targetPreset: e.target.value as MigrationPresetName })} options={PRESET_OPTIONS} />
            <TextField label="Mailboxes in parallel" type="number" min={1} max={50} value={String(draft.parallel)} onChange={(e) => setDraft({ ...draft, parallel: Math.max(1, Math.min(50, Number(e.target.value) || 1)) })} />
            <SelectField
              label="Gmail labels"
              value={draft.gmailLabels}
              onChange={(e) => setDraft({ ...draft, gmailLabels: e.target.value as GmailLabelsChoice })}
              options={[
                { value: 'once', label: 'Each message once, labels as folders' },
                { value: 'keywords', label: 'Each message once, labels as keywords' },
                { value: 'per-label', label: 'Copy every label folder on its own' },
              ]}
              hint="Read once from All Mail. Inbox, Sent and Drafts stay folders; Starred becomes flagged, Important the $Important keyword; mail without a label goes to Archive. A Gmail target gets one copy with its labels."
            />
            <SelectField
              label="Folders to copy"
              value={draft.includeShared ? 'shared' : 'personal'}
              onChange={(e) => setDraft({ ...draft, includeShared: e.target.value === 'shared' })}
              options={[{ value: 'personal', label: 'Personal folders only' }, { value: 'shared', label: "Also other users' and shared folders" }]}
              hint={`Folders other users shared with the mailboxes are copied, and counted in the estimate, only when asked for.${totals.sharedBytes ? ` Here they hold ${formatBytes(totals.sharedBytes)}.` : ''}`}
            />
            <TextField label="First pass starts" type="datetime-local" value={toLocalInput(draft.start ?? firstPassStart(plan.timeline))} onChange={(e) => setDraft({ ...draft, start: e.target.value ? new Date(e.target.value).toISOString() : null })} />
          </section>
          <section className="card" aria-label="DNS cut-over">
            <h2 className="card__title">DNS cut-over</h2>
            <p className="card__subtitle">Times follow the first-pass start and the estimate; T is the MX switch.</p>
            <CutoverTimeline steps={plan.timeline} />
          </section>
        </aside>
      </div>
      <p className="list-meta keys-hint">
        Keys: <kbd>r</kbd> run batch · <kbd>f</kbd> run on the fleet · <kbd>e</kbd> export CSV · <kbd>s</kbd> save changes · <kbd>n</kbd> new plan
      </p>
      {choosing ? <RunBatchDialog planName={plan.name} onRun={start} onCancel={() => setChoosing(false)} /> : null}
      {removing ? (
        <ConfirmDialog title={`Delete “${plan.name}”?`} confirmLabel="Delete plan" danger onConfirm={() => void remove()} onCancel={() => setRemoving(false)}>
          <p>The plan and its inventory are removed from this computer. Mailboxes on the servers are not touched.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** A summary figure. */
export function Stat({ label, value, sub, tone }: { readonly label: string; readonly value: string; readonly sub?: string | undefined; readonly tone?: 'warning' | 'success' | 'danger' }) {
  return (
    <div className={`stat-tile ${tone ? `stat-tile--${tone}` : ''}`}>
      <span className="stat-tile__label">{label}</span>
      <span className="stat-tile__value">{value}</span>
      {sub ? <span className="stat-tile__sub">{sub}</span> : null}
    </div>
  );
}

/** The link back to the list of plans and batches. */
export function BackLink() {
  return (
    <a className="back-link" href="#/migrations">
      <Icon name="arrow-left" size={14} /> All migrations
    </a>
  );
}

function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
