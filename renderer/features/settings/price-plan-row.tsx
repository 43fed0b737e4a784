import type { PricePlan } from '../../../shared/domain/storage.ts';
import { Button } from '../../components/button.tsx';
import { SelectField, TextField } from '../../components/field.tsx';

/** A plan as edited: the price stays text until saved, so a half-typed number is not lost. */
export type PlanDraft = PricePlan & { readonly monthlyText: string };

const KINDS: readonly { value: PricePlan['kind']; label: string }[] = [
  { value: 'google', label: 'Google Workspace' },
  { value: 'microsoft', label: 'Microsoft 365' },
  { value: 'mailcow', label: 'mailcow' },
  { value: 'stalwart', label: 'Stalwart' },
  { value: 'postfixadmin', label: 'Postfix/Dovecot (PostfixAdmin)' },
  { value: 'imap', label: 'IMAP server' },
];
const MODELS = [
  { value: 'per-seat', label: 'Per seat (each active mailbox)' },
  { value: 'flat', label: 'Flat rate (per server)' },
];

/** One editable line of the price table, with its inline errors (`plans.N.field`). */
export function PricePlanRow(props: { readonly index: number; readonly plan: PlanDraft; readonly currency: string; readonly errors: Readonly<Record<string, string>>; onChange(next: PlanDraft): void; onRemove(): void }) {
  const { index, plan, errors, onChange } = props;
  const error = (field: string): string | null => errors[`plans.${index}.${field}`] ?? null;
  const name = plan.label || `plan ${index + 1}`;
  return (
    <fieldset className="price-plan" aria-label={`Plan ${name}`}>
      <TextField label="Plan" value={plan.label} error={error('label') ?? error('id')} onChange={(e) => onChange({ ...plan, label: e.target.value })} />
      <SelectField label="Platform" value={plan.kind} options={KINDS} onChange={(e) => onChange({ ...plan, kind: e.target.value as PricePlan['kind'] })} />
      <SelectField label="Billed" value={plan.model} options={MODELS} onChange={(e) => onChange({ ...plan, model: e.target.value as PricePlan['model'] })} />
      <TextField label={`${props.currency || '?'} a month`} inputMode="decimal" value={plan.monthlyText} error={error('monthly')} onChange={(e) => onChange({ ...plan, monthlyText: e.target.value })} />
      <Button variant="ghost" size="sm" className="price-plan__remove" onClick={props.onRemove} aria-label={`Remove ${name}`}>
        Remove
      </Button>
    </fieldset>
  );
}
