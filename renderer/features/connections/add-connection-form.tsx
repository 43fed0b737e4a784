import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { AddConnectionOptions, ConnectionSummary, NewImapConnection, TlsMode } from '../../../shared/domain/connection.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { AddTestFailure, notSaved } from './test-failure-actions.tsx';
import { defaultPort, emptyImapForm, validateImapForm, type ImapFormErrors, type ImapFormValues } from './imap-form-model.ts';

const TLS_OPTIONS = [
  { value: 'implicit', label: 'Implicit TLS (IMAPS)' },
  { value: 'starttls', label: 'STARTTLS' },
  { value: 'none', label: 'None (unencrypted)' },
] as const;

const FIELD_ORDER: readonly (keyof ImapFormValues)[] = ['name', 'host', 'port', 'user', 'password', 'pinnedFingerprint'];

/** The "Add an IMAP connection" form; it validates locally, tests before saving (unless told not to) and clears the password once saved. */
export function AddConnectionForm({ onSubmit, picker }: { readonly onSubmit: (input: NewImapConnection, options: AddConnectionOptions) => Promise<Result<ConnectionSummary>>; readonly picker?: ReactNode }) {
  const [values, setValues] = useState<ImapFormValues>(emptyImapForm);
  const [errors, setErrors] = useState<ImapFormErrors>({});
  const [failure, setFailure] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [testFirst, setTestFirst] = useState(true);
  const portTouched = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);

  // A failed test keeps what was typed (the password too) in the form, so it can be fixed or saved untested.
  const send = async (input: NewImapConnection, test: boolean) => {
    setFailure(null);
    setBusy(true);
    setValues((v) => ({ ...v, password: '' }));
    const result = await onSubmit(input, { test });
    setBusy(false);
    if (result.ok) {
      setValues(emptyImapForm());
      portTouched.current = false;
    } else if (result.error.code === 'conflict') {
      setErrors({ name: 'A connection with this name already exists. Choose another name.' });
    } else {
      if (notSaved(result.error)) setValues((v) => ({ ...v, password: input.password }));
      setFailure(result.error);
    }
  };
  const retry = (test: boolean, pinnedFingerprint?: string) => {
    const next = pinnedFingerprint ? { ...values, pinnedFingerprint } : values;
    setValues(next);
    const checked = validateImapForm(next);
    if ('input' in checked) void send(checked.input, test);
  };

  const update = (field: keyof ImapFormValues, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const changeTls = (tls: TlsMode) => {
    // Follow the mode's standard port until the user types a port of their own.
    setValues((v) => ({ ...v, tls, port: portTouched.current ? v.port : defaultPort(tls) }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const checked = validateImapForm(values);
    if ('errors' in checked) {
      setErrors(checked.errors);
      const first = FIELD_ORDER.find((f) => checked.errors[f]);
      formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setErrors({});
    // The password leaves the form with this call; it is kept only while a failed test is shown.
    await send(checked.input, testFirst);
  };

  return (
    <form ref={formRef} className="card form" aria-labelledby="add-connection-title" onSubmit={submit} noValidate>
      <h2 id="add-connection-title" className="card__title">
        Add an IMAP connection
      </h2>
      <p className="card__subtitle">Any IMAP server: Dovecot, Exchange, mailcow, Stalwart… The password is stored in the system keychain.</p>
      {picker}
      {failure && notSaved(failure) ? (
        <AddTestFailure error={failure} busy={busy} onSaveUntested={() => retry(false)} onPin={(fingerprint) => retry(true, fingerprint)} />
      ) : failure ? (
        <ErrorMessage error={failure} title="The connection was not added." compact />
      ) : null}
      <TextField name="name" label="Name" value={values.name} error={errors.name} autoComplete="off" placeholder="Acme mail server" onChange={(e) => update('name', e.target.value)} />
      <div className="form__row">
        <TextField name="host" label="Host" className="form__grow" value={values.host} error={errors.host} autoComplete="off" spellCheck={false} placeholder="imap.example.com" onChange={(e) => update('host', e.target.value)} />
        <TextField
          name="port"
          label="Port"
          className="form__port"
          inputMode="numeric"
          value={values.port}
          error={errors.port}
          onChange={(e) => {
            portTouched.current = true;
            update('port', e.target.value);
          }}
        />
      </div>
      <SelectField
        name="tls"
        label="TLS mode"
        value={values.tls}
        options={TLS_OPTIONS}
        hint={values.tls === 'none' ? 'Warning: the password crosses the network unencrypted. Use only on a trusted network.' : undefined}
        onChange={(e) => changeTls(e.target.value as TlsMode)}
      />
      <TextField name="user" label="User name" value={values.user} error={errors.user} autoComplete="off" spellCheck={false} placeholder="admin@example.com" onChange={(e) => update('user', e.target.value)} />
      <TextField name="password" label="Password" type="password" value={values.password} error={errors.password} autoComplete="new-password" onChange={(e) => update('password', e.target.value)} />
      <details className="form__advanced" open={errors.pinnedFingerprint ? true : undefined}>
        <summary>Advanced</summary>
        <TextField
          name="pinnedFingerprint"
          label="Trusted certificate fingerprint (SHA-256)"
          value={values.pinnedFingerprint}
          error={errors.pinnedFingerprint}
          spellCheck={false}
          hint="Only for a server with a self-signed certificate: Mailroom then trusts exactly this certificate."
          onChange={(e) => update('pinnedFingerprint', e.target.value)}
        />
      </details>
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
