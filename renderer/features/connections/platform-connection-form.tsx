import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { AddConnectionOptions, ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { readServiceAccountKey, withoutSecrets, type FieldSpec, type PlatformForm, type PlatformFormErrors, type PlatformFormValues } from './platform-form-models.ts';
import { AddTestFailure, notSaved } from './test-failure-actions.tsx';
import './connections.css';

/** Props of PlatformConnectionForm. */
export interface PlatformConnectionFormProps<I> {
  readonly form: PlatformForm<I>;
  readonly onSubmit: (input: I, options: AddConnectionOptions) => Promise<Result<ConnectionSummary>>;
  /** The kind selector, shown under the title. */
  readonly picker?: ReactNode;
}

/** The add form of one API or SQL platform, driven by its model; tests before saving unless told not to; secrets are cleared once saved. */
export function PlatformConnectionForm<I>({ form, onSubmit, picker }: PlatformConnectionFormProps<I>) {
  const [values, setValues] = useState<PlatformFormValues>(form.empty);
  const [errors, setErrors] = useState<PlatformFormErrors>({});
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [keyName, setKeyName] = useState<string | null>(null);
  // A file input cannot be emptied by value: a new key remounts it empty after each submit.
  const [resets, setResets] = useState(0);
  const [testFirst, setTestFirst] = useState(true);
  // The input of a test that failed, kept only while its failure is shown, so "Save without testing" can send it.
  const failed = useRef<I | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const shown = form.fields.filter((f) => !f.visible || f.visible(values));

  const update = (field: string, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const readKey = async (field: string, file: File | undefined) => {
    if (!file) return;
    // The key is read here and goes out once, with the submit; it is never written to a store.
    const text = await file.text();
    const key = readServiceAccountKey(text);
    setKeyName('error' in key ? file.name : `${file.name} · ${key.clientEmail}`);
    update(field, text);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const checked = form.validate(values);
    if ('errors' in checked) {
      setErrors(checked.errors);
      const first = shown.find((f) => checked.errors[f.name]);
      if (first?.advanced) formRef.current?.querySelector('details')?.setAttribute('open', '');
      formRef.current?.querySelector<HTMLElement>(`[name="${first?.name}"]`)?.focus();
      return;
    }
    setErrors({});
    await send(checked.input, testFirst);
  };
  const send = async (input: I, test: boolean) => {
    setFailure(null);
    failed.current = null;
    setBusy(true);
    setValues((v) => withoutSecrets(form, v));
    setKeyName(null);
    setResets((n) => n + 1);
    const result = await onSubmit(input, { test });
    setBusy(false);
    if (result.ok) setValues(form.empty());
    else if (result.error.code === 'conflict') setErrors({ name: 'A connection with this name already exists. Choose another name.' });
    else {
      if (notSaved(result.error)) failed.current = input;
      setFailure(result.error);
    }
  };

  const field = (f: FieldSpec) => {
    const common = { name: f.name, label: f.label, error: errors[f.name], hint: f.warning?.(values) ?? f.hint };
    if (f.control === 'select') return <SelectField key={f.name} {...common} value={values[f.name] ?? ''} options={f.options ?? []} onChange={(e) => update(f.name, e.target.value)} />;
    if (f.control === 'file') {
      return (
        <TextField
          key={`${f.name}-${resets}`}
          {...common}
          type="file"
          accept="application/json,.json"
          hint={keyName ?? f.hint ?? 'The key file stays on this computer until you add the connection.'}
          onChange={(e) => void readKey(f.name, e.target.files?.[0])}
        />
      );
    }
    return (
      <TextField
        key={f.name}
        {...common}
        type={f.control === 'password' ? 'password' : 'text'}
        value={values[f.name] ?? ''}
        placeholder={f.placeholder}
        inputMode={f.numeric ? 'numeric' : undefined}
        autoComplete={f.control === 'password' ? 'new-password' : 'off'}
        spellCheck={false}
        onChange={(e) => update(f.name, e.target.value)}
      />
    );
  };
  const advanced = shown.filter((f) => f.advanced);

  return (
    <form ref={formRef} className="card form" aria-labelledby="add-connection-title" onSubmit={submit} noValidate>
      <h2 id="add-connection-title" className="card__title">
        {form.title}
      </h2>
      <p className="card__subtitle">{form.subtitle}</p>
      {picker}
      {failure && notSaved(failure) ? (
        <AddTestFailure error={failure} busy={busy} onSaveUntested={() => failed.current && void send(failed.current, false)} />
      ) : failure ? (
        <ErrorMessage error={failure} title="The connection was not added." compact />
      ) : null}
      {shown.filter((f) => !f.advanced).map(field)}
      {advanced.length ? (
        <details className="form__advanced">
          <summary>Advanced</summary>
          {advanced.map(field)}
        </details>
      ) : null}
      <label className="checkbox">
        <input type="checkbox" name="testFirst" checked={testFirst} onChange={(e) => setTestFirst(e.target.checked)} />
        Test the connection before saving it
      </label>
      <div className="form__actions">
        <Button type="submit" variant="primary" busy={busy} icon={<Icon name="plus" size={16} />}>
          Add connection
        </Button>
      </div>
    </form>
  );
}
