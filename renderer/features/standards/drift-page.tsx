import { useEffect, useMemo, useState } from 'react';
import type { Deviation } from '../../../shared/domain/standards.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { Button } from '../../components/button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { downloadText } from '../../lib/csv.ts';
import { DeviationsTable } from './deviations-table.tsx';
import { deviationsCsv, distinct, filterDeviations, type DriftFilter } from './drift-model.ts';
import { RemedyDialog } from './remedy-dialog.tsx';
import { ScoreCard } from './score-chart.tsx';
import { StandardsList } from './standards-list.tsx';
import { useStandards } from './standards-store.ts';
import './drift.css';

const MODES = ['report', 'alert', 'remediate'] as const;

/** Drift: stored standards, the latest evaluation's deviations (accept one with a reason) and alignment per customer. */
export function DriftPage() {
  const store = useStandards();
  useEffect(() => void useStandards.getState().load(), []);
  return (
    <div className="page drift-page">
      <PageHeader title="Drift" description="Standards applied to every customer: what deviates, since when, in which mode, and how aligned each customer is." />
      {store.error ? <ErrorMessage error={store.error} title="Standards could not be read." /> : null}
      {!store.loaded ? (
        <div className="loading">
          <Spinner label="Loading standards" />
        </div>
      ) : (
        <>
          <StandardsList />
          {store.standards.length === 0 ? (
            <EmptyState title="No standard yet" icon={<Icon name="shield" size={28} />}>
              <p>Import a standard as JSON above, or from a shell: <code>mailroom standards import FILE</code>.</p>
            </EmptyState>
          ) : store.evaluation === null ? (
            <EmptyState title="Never evaluated" icon={<Icon name="shield" size={28} />}>
              <p>“{store.selected}” has not been evaluated yet. Press “Evaluate now”, or run <code>mailroom standards evaluate --standard "{store.selected}"</code>.</p>
            </EmptyState>
          ) : (
            <Evaluation />
          )}
        </>
      )}
    </div>
  );
}

function Evaluation() {
  const evaluation = useStandards((s) => s.evaluation)!;
  const [filter, setFilter] = useState<DriftFilter>({ customer: '', rule: '', mode: '' });
  const [accepting, setAccepting] = useState<Deviation | null>(null);
  const [fixing, setFixing] = useState<Deviation | null>(null);
  const all = useMemo(() => [...evaluation.deviations, ...evaluation.accepted], [evaluation]);
  const open = useMemo(() => filterDeviations(evaluation.deviations, filter), [evaluation, filter]);
  const accepted = useMemo(() => filterDeviations(evaluation.accepted, filter), [evaluation, filter]);
  const option = (values: readonly string[], any: string) => [{ value: '', label: any }, ...values.map((v) => ({ value: v, label: v }))];
  return (
    <>
      <p className="list-meta drift-meta">
        Evaluated <RelativeTime iso={evaluation.at} /> (version {evaluation.version}): {evaluation.evaluated.toLocaleString()} domains, {evaluation.deviations.length.toLocaleString()} deviations, {evaluation.accepted.length.toLocaleString()} accepted.
      </p>
      <ScoreCard evaluation={evaluation} />
      <section className="card drift-card" aria-labelledby="drift-deviations-title">
        <div className="drift-card__head">
          <h2 id="drift-deviations-title" className="drift-card__title">
            Deviations
          </h2>
          <Button icon={<Icon name="download" size={16} />} disabled={open.length + accepted.length === 0} onClick={() => downloadText(`drift-${evaluation.standard.replace(/[^\w.-]+/g, '-')}.csv`, deviationsCsv([...open, ...accepted]))}>
            Export CSV
          </Button>
        </div>
        <div className="drift-filters" role="group" aria-label="Filter deviations">
          <SelectField label="Customer" value={filter.customer} onChange={(e) => setFilter({ ...filter, customer: e.target.value })} options={option(distinct(all, (d) => d.customer), 'All customers')} />
          <SelectField label="Rule" value={filter.rule} onChange={(e) => setFilter({ ...filter, rule: e.target.value })} options={option(distinct(all, (d) => d.rule), 'All rules')} />
          <SelectField label="Mode" value={filter.mode} onChange={(e) => setFilter({ ...filter, mode: e.target.value })} options={option(MODES, 'All modes')} />
        </div>
        {evaluation.deviations.length === 0 ? (
          <EmptyState title="No deviation" icon={<Icon name="check" size={28} />}>
            <p>Every domain in scope meets “{evaluation.standard}”{evaluation.accepted.length ? ', apart from the accepted deviations below' : ''}.</p>
          </EmptyState>
        ) : open.length === 0 ? (
          <p className="muted">No deviation matches these filters.</p>
        ) : (
          <DeviationsTable rows={open} label="Deviations" testId="drift-deviations" onAccept={setAccepting} onFix={setFixing} />
        )}
      </section>
      <section className="card drift-card" aria-labelledby="drift-accepted-title">
        <h2 id="drift-accepted-title" className="drift-card__title">
          Accepted
        </h2>
        {accepted.length === 0 ? <p className="muted">No accepted deviation{evaluation.accepted.length ? ' matches these filters' : ''}.</p> : <DeviationsTable rows={accepted} label="Accepted deviations" testId="drift-accepted" onAccept={null} />}
      </section>
      {fixing ? <RemedyDialog deviation={fixing} standard={evaluation.standard} onClose={() => setFixing(null)} /> : null}
      {accepting ? <AcceptDialog deviation={accepting} standard={evaluation.standard} onClose={() => setAccepting(null)} /> : null}
    </>
  );
}

function AcceptDialog({ deviation, standard, onClose }: { readonly deviation: Deviation; readonly standard: string; readonly onClose: () => void }) {
  const accept = useStandards((s) => s.accept);
  const [reason, setReason] = useState('');
  const [everywhere, setEverywhere] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const submit = async () => {
    setBusy(true);
    const failed = await accept({ standard, rule: deviation.rule, target: everywhere ? '*' : deviation.target, reason: reason.trim() });
    setBusy(false);
    if (failed) setError(failed);
    else onClose();
  };
  return (
    <FormDialog title={`Accept ${deviation.rule}`} submitLabel="Accept deviation" busy={busy} canSubmit={reason.trim() !== ''} onSubmit={() => void submit()} onCancel={onClose}>
      <p>
        <code>{deviation.rule}</code> on <strong>{deviation.target}</strong> stops counting against {deviation.customer}. The acceptance is journaled with your reason, and the target is checked again.
      </p>
      <TextField label="Reason" required value={reason} onChange={(e) => setReason(e.target.value)} hint="Required: why this deviation is acceptable." error={reason.trim() === '' ? 'A reason is required.' : null} />
      <label className="drift-everywhere">
        <input type="checkbox" checked={everywhere} onChange={(e) => setEverywhere(e.target.checked)} /> For every target (accept {deviation.rule} everywhere)
      </label>
      {error ? <ErrorMessage error={error} title="Not accepted." /> : null}
    </FormDialog>
  );
}
