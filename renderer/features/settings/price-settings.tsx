import { useEffect, useState, type FormEvent } from 'react';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { PricePlan, PriceTable } from '../../../shared/domain/storage.ts';
import { priceTable } from '../../../shared/ipc/schemas/storage.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { notify } from '../../state/toast-store.ts';
import { issueMap } from './issue-map.ts';
import { useSave } from './use-save.ts';
import { PricePlanRow, type PlanDraft } from './price-plan-row.tsx';
import { PriceCsv } from './price-csv.tsx';
import { platformName } from '../../lib/platform-name.ts';

const draftOf = (p: PricePlan): PlanDraft => ({ ...p, monthlyText: String(p.monthly) });
const planOf = ({ monthlyText, ...p }: PlanDraft): PricePlan => ({ ...p, monthly: monthlyText.trim() === '' ? Number.NaN : Number(monthlyText.replace(',', '.')) });
const newId = (plans: readonly PlanDraft[]): string => {
  for (let n = plans.length + 1; ; n += 1) if (!plans.some((p) => p.id === `plan-${n}`)) return `plan-${n}`;
};

/** Settings › Price table: per-seat and flat prices per platform plan, the currency, and which plan each connection is billed under. */
export function PriceSettingsCard() {
  const [plans, setPlans] = useState<PlanDraft[] | null>(null);
  const [currency, setCurrency] = useState('');
  const [assignments, setAssignments] = useState<Record<string, string>>({});
  const [connections, setConnections] = useState<readonly ConnectionSummary[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, failure, setFailure, run } = useSave<PriceTable>();
  const show = (t: PriceTable) => {
    setPlans(t.plans.map(draftOf));
    setCurrency(t.currency);
    setAssignments({ ...t.assignments });
  };
  useEffect(() => {
    let live = true;
    void api.storage.prices().then((r) => live && (r.ok ? show(r.value) : setFailure(r.error)));
    void api.connections.list().then((r) => live && r.ok && setConnections(r.value));
    return () => {
      live = false;
    };
  }, []);
  const changePlan = (index: number, next: PlanDraft) => {
    setPlans((ps) => ps && ps.map((p, i) => (i === index ? next : p)));
    setErrors({});
  };
  const removePlan = (index: number) => {
    const gone = plans?.[index]?.id;
    setPlans((ps) => ps && ps.filter((_, i) => i !== index));
    setAssignments((a) => Object.fromEntries(Object.entries(a).filter(([, planId]) => planId !== gone)));
    setErrors({});
  };
  const addPlan = () => setPlans((ps) => ps && [...ps, { id: newId(ps), label: '', kind: 'postfixadmin', model: 'flat', monthly: 0, monthlyText: '', includedBytesPerSeat: null }]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!plans) return;
    const table: PriceTable = { currency: currency.trim().toUpperCase(), plans: plans.map(planOf), assignments };
    const checked = priceTable.safeParse(table);
    if (!checked.success) {
      setErrors(issueMap(checked.error));
      return;
    }
    await run(
      () => api.storage.setPrices(table),
      (saved) => {
        setErrors({});
        show(saved);
        notify({ tone: 'success', title: 'Price table saved', body: 'The cost figures under Domains › Storage use it now.' });
      },
    );
  };
  return (
    <section className="card" id="settings-prices" aria-labelledby="prices-title" tabIndex={-1}>
      <h2 id="prices-title" className="card__title">
        Price table
      </h2>
      <p className="card__subtitle">Monthly prices the storage cost figures use (Domains › Storage, and <code>mailroom storage summary</code>). Per-seat plans cost the price times the active mailboxes; flat plans cost the price per server.</p>
      {plans === null ? (
        failure ? <ErrorMessage error={failure} compact /> : <Spinner label="Loading the price table" />
      ) : (
        <>
        <PriceCsv onImported={(t) => (setErrors({}), show(t))} />
        <form className="resolver-form" onSubmit={(e) => void save(e)} noValidate aria-label="Price table">
          <TextField className="form__port" label="Currency" value={currency} maxLength={3} error={errors['currency'] ?? null} onChange={(e) => (setCurrency(e.target.value), setErrors({}))} hint="ISO code, e.g. USD or EUR" spellCheck={false} />
          {plans.length === 0 ? <p className="muted">No plans: every platform shows its cost as “—” until one is added.</p> : null}
          {plans.map((p, i) => (
            <PricePlanRow key={i} index={i} plan={p} currency={currency} errors={errors} onChange={(next) => changePlan(i, next)} onRemove={() => removePlan(i)} />
          ))}
          <div>
            <Button onClick={addPlan}>Add plan</Button>
          </div>
          {connections.length > 0 ? (
            <fieldset className="resolver-form price-assignments">
              <legend className="field__label">Plan per connection</legend>
              {connections.map((c) => (
                <SelectField
                  key={c.id}
                  label={`${c.name} (${platformName(c.kind)})`}
                  value={assignments[c.id] ?? ''}
                  error={errors[`assignments.${c.id}`] ?? null}
                  onChange={(e) => setAssignments((a) => (e.target.value ? { ...a, [c.id]: e.target.value } : Object.fromEntries(Object.entries(a).filter(([k]) => k !== c.id))))}
                  options={[{ value: '', label: `Default: the first ${platformName(c.kind)} plan` }, ...plans.filter((p) => p.kind === c.kind).map((p) => ({ value: p.id, label: p.label || p.id }))]}
                />
              ))}
            </fieldset>
          ) : null}
          {failure ? <ErrorMessage error={failure} compact /> : null}
          <div>
            <Button type="submit" variant="primary" busy={busy}>
              Save prices
            </Button>
          </div>
        </form>
        </>
      )}
    </section>
  );
}
