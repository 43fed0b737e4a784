import { useEffect, useState } from 'react';
import type { Deviation, DeviationRemedy } from '../../../shared/domain/standards.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { useStandards } from './standards-store.ts';

function RemedyBody({ remedy }: { readonly remedy: DeviationRemedy }) {
  if (remedy.kind === 'dns') {
    return (
      <div className="drift-remedy" data-remedy="dns">
        <p>Publish this record at the domain’s DNS host, then re-check:</p>
        <dl className="drift-remedy__record">
          <dt>Name</dt>
          <dd><code>{remedy.record.name}</code> <CopyButton text={remedy.record.name} label="Copy name" /></dd>
          <dt>Type</dt>
          <dd><code>{remedy.record.type}</code></dd>
          <dt>Value</dt>
          <dd><code className="drift-remedy__value">{remedy.record.value}</code> <CopyButton text={remedy.record.value} label="Copy value" /></dd>
          <dt>Zone file</dt>
          <dd><code className="drift-remedy__value">{remedy.zoneLine}</code> <CopyButton text={remedy.zoneLine} label="Copy zone line" /></dd>
        </dl>
      </div>
    );
  }
  if (remedy.kind === 'adapter') {
    const command = `mailroom standards remediate --rule ${remedy.rule} --target '${remedy.target}' --apply`;
    return (
      <div className="drift-remedy" data-remedy="adapter">
        <p>Mailroom can fix this on the platform: <strong>{remedy.action}</strong> for <code>{remedy.address}</code>. From a shell:</p>
        <p><code className="drift-remedy__value">{command}</code> <CopyButton text={command} label="Copy command" /></p>
      </div>
    );
  }
  return (
    <div className="drift-remedy" data-remedy="manual">
      <p><code className="drift-remedy__value">{remedy.how}</code> <CopyButton text={remedy.how} label="Copy steps" /></p>
    </div>
  );
}

/** The fix for one deviation (the exact DNS record, the platform call or the manual step) and a re-check of that target alone. */
export function RemedyDialog({ deviation, standard, onClose }: { readonly deviation: Deviation; readonly standard: string; readonly onClose: () => void }) {
  const recheck = useStandards((s) => s.recheck);
  const [remedy, setRemedy] = useState<DeviationRemedy | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api.standards.remedy(standard, { rule: deviation.rule, target: deviation.target }).then((r) => {
      if (!live) return;
      if (r.ok) setRemedy(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [standard, deviation.rule, deviation.target]);
  const submit = async () => {
    setBusy(true);
    setOutcome(null);
    const result = await recheck(deviation.target);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    const still = result.value.deviations.find((d) => d.rule === deviation.rule && d.target === deviation.target);
    setOutcome(still ? `Still deviates: ${still.current}` : `${deviation.rule} now holds for ${deviation.target}.`);
  };
  return (
    <FormDialog title={`Fix ${deviation.rule}`} submitLabel="Re-check" wide busy={busy} onSubmit={() => void submit()} onCancel={onClose}>
      <p>
        <code>{deviation.rule}</code> on <strong>{deviation.target}</strong>: expected {deviation.expected}.
      </p>
      {remedy ? <RemedyBody remedy={remedy} /> : error ? null : <Spinner label="Reading the fix" />}
      {outcome ? <p role="status" className="drift-remedy__outcome">{outcome}</p> : null}
      {error ? <ErrorMessage compact error={error} title="No fix could be read." /> : null}
    </FormDialog>
  );
}
