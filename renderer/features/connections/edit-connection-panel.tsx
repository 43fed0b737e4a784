import { useState, type FormEvent } from 'react';
import type { ConnectionEdit, ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { appError } from '../../../shared/errors/result.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { KIND_LABEL } from './connection-info.ts';
import { SECRET_LABEL, editFields, editOf, editValues, fieldShown } from './edit-connection-model.ts';
import { SiteSettingsFields } from './site-settings-fields.tsx';

const CHOICES: Readonly<Record<string, readonly { readonly value: string; readonly label: string }[]>> = {
  tls: [
    { value: 'implicit', label: 'Implicit TLS (IMAPS)' },
    { value: 'starttls', label: 'STARTTLS' },
    { value: 'none', label: 'None (unencrypted)' },
  ],
  dialect: [
    { value: 'mysql', label: 'MySQL / MariaDB' },
    { value: 'postgres', label: 'PostgreSQL' },
    { value: 'sqlite', label: 'SQLite' },
  ],
};

/** Props of EditConnectionPanel. */
export interface EditConnectionPanelProps {
  readonly connection: ConnectionSummary;
  /** Saves the change; the page then tests the connection again. */
  readonly onSave: (edit: ConnectionEdit) => Promise<Result<ConnectionSummary>>;
  readonly onClose: () => void;
}

/** Edits a saved connection in place: every setting, and its secret re-entered (blank keeps the stored one). */
export function EditConnectionPanel({ connection, onSave, onClose }: EditConnectionPanelProps) {
  const [values, setValues] = useState<Record<string, string>>(() => editValues(connection));
  const [failure, setFailure] = useState<AppError | null>(null);
  const [invalid, setInvalid] = useState<{ readonly field: string; readonly message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (key: string, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (invalid?.field === key) setInvalid(null);
  };
  const errorOf = (key: string) => (invalid?.field === key ? invalid.message : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setInvalid(null);
    const edit = editOf(connection, values);
    if ('error' in edit) {
      if (edit.field) {
        setInvalid({ field: edit.field, message: edit.error });
        (event.currentTarget as HTMLFormElement).querySelector<HTMLElement>(`[name="${edit.field}"]`)?.focus();
      } else setFailure(appError('input.invalid', edit.error));
      return;
    }
    setBusy(true);
    // The secret leaves the form with this call and is not kept anywhere in the renderer.
    setValues((v) => ({ ...v, secret: '' }));
    const result = await onSave(edit);
    setBusy(false);
    if (!result.ok) setFailure(result.error);
  };

  return (
    <form className="card form" aria-labelledby="edit-connection-title" onSubmit={submit} noValidate>
      <h2 id="edit-connection-title" className="card__title">
        Edit “{connection.name}”
      </h2>
      <p className="card__subtitle">
        {KIND_LABEL[connection.kind]} · Plans and batches that use this connection keep using it: a failed batch resumes with Retry once it works again.
      </p>
      {failure ? <ErrorMessage error={failure} title="The connection was not changed." compact /> : null}
      <TextField name="name" label="Name" value={values['name'] ?? ''} error={errorOf('name')} autoComplete="off" onChange={(e) => update('name', e.target.value)} />
      {editFields(connection)
        .filter((f) => fieldShown(connection, f.key, values))
        .map((f) =>
          CHOICES[f.key] ? (
            <SelectField key={f.key} name={f.key} label={f.label} value={values[f.key] ?? ''} options={CHOICES[f.key]!} onChange={(e) => update(f.key, e.target.value)} />
          ) : (
            <TextField key={f.key} name={f.key} label={f.label} value={values[f.key] ?? ''} error={errorOf(f.key)} inputMode={f.numeric ? 'numeric' : undefined} autoComplete="off" spellCheck={false} onChange={(e) => update(f.key, e.target.value)} />
          ),
        )}
      {/* A PostfixAdmin database on SQLite is a file: it has no password to re-enter. */}
      {fieldShown(connection, 'secret', values) ? (
        <TextField
          name="secret"
          label={SECRET_LABEL[connection.kind]}
          type="password"
          value={values['secret'] ?? ''}
          autoComplete="new-password"
          hint={connection.hasSecret ? 'Leave blank to keep the one in the keychain.' : 'None is stored yet.'}
          onChange={(e) => update('secret', e.target.value)}
        />
      ) : null}
      {connection.kind === 'postfixadmin' ? <SiteSettingsFields values={values} errorOf={errorOf} onChange={update} /> : null}
      <div className="form__actions">
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={busy}>
          Save and test
        </Button>
      </div>
    </form>
  );
}
