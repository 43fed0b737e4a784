import { useState, type FormEvent } from 'react';
import type { AlertDestination, AlertDestinationKind } from '../../../shared/domain/alerts.ts';
import { alertDestinationPatch, newAlertDestination } from '../../../shared/ipc/schemas/alerts.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { notify } from '../../state/toast-store.ts';
import { issueMap } from './issue-map.ts';
import { useSave } from './use-save.ts';

/** The kinds a destination can be, as the console names them. */
export const KIND_LABELS: Readonly<Record<AlertDestinationKind, string>> = {
  os: 'Desktop notification',
  email: 'Email (through the SMTP relay)',
  webhook: 'Webhook (generic JSON)',
  slack: 'Slack incoming webhook',
  teams: 'Microsoft Teams workflow webhook',
};
const KIND_OPTIONS = Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }));
const isHook = (kind: AlertDestinationKind): boolean => kind === 'webhook' || kind === 'slack' || kind === 'teams';

/** Add a destination, or edit one (`editing`): same schema as `mailroom alerts add`; a webhook URL goes to the keychain only. */
export function AlertDestinationForm({ editing, secretStore, onSaved, onCancel }: { readonly editing: AlertDestination | null; readonly secretStore: string; readonly onSaved: (d: AlertDestination) => void; readonly onCancel: () => void }) {
  const [name, setName] = useState(editing?.name ?? '');
  const [kind, setKind] = useState<AlertDestinationKind>(editing?.kind ?? 'slack');
  const [to, setTo] = useState(editing?.to ?? '');
  const [url, setUrl] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const { busy, failure, run } = useSave<AlertDestination>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = { ...(kind === 'email' && to.trim() ? { to: to.trim() } : {}), ...(isHook(kind) && url.trim() ? { url: url.trim() } : {}) };
    const input = editing ? { ...(name.trim() !== editing.name ? { name: name.trim() } : {}), ...fields } : { name: name.trim(), kind, ...fields };
    const checked = editing ? alertDestinationPatch.safeParse(input) : newAlertDestination.safeParse(input);
    const missing = !editing && kind === 'email' && !fields.to ? { to: 'a recipient is needed' } : !editing && isHook(kind) && !fields.url ? { url: 'the webhook URL is needed' } : {};
    if (!checked.success || Object.keys(missing).length > 0) {
      setErrors({ ...(checked.success ? {} : issueMap(checked.error)), ...missing });
      return;
    }
    await run(
      () => (editing ? api.alerts.updateDestination(editing.id, input) : api.alerts.addDestination(checked.data as Parameters<typeof api.alerts.addDestination>[0])),
      (saved) => {
        notify({ tone: 'success', title: editing ? 'Destination saved' : 'Destination added', body: `Alerts go to “${saved.name}”.` });
        onSaved(saved);
      },
    );
  };
  return (
    <form className="resolver-form" onSubmit={(e) => void submit(e)} noValidate aria-label={editing ? `Edit ${editing.name}` : 'Add an alert destination'}>
      <div className="form__row">
        <TextField className="form__grow" label="Name" value={name} error={errors['name'] ?? null} onChange={(e) => (setName(e.target.value), setErrors({}))} placeholder="Ops channel" autoComplete="off" />
        <SelectField label="Kind" options={KIND_OPTIONS} value={kind} disabled={editing !== null} onChange={(e) => (setKind(e.target.value as AlertDestinationKind), setErrors({}))} />
      </div>
      {kind === 'email' ? <TextField label="Send to" value={to} error={errors['to'] ?? null} onChange={(e) => (setTo(e.target.value), setErrors({}))} placeholder="oncall@example.com" hint="Mailed through the relay in Settings › Invitations." spellCheck={false} /> : null}
      {isHook(kind) ? (
        <TextField
          label="Webhook URL"
          type="password"
          value={url}
          error={errors['url'] ?? null}
          onChange={(e) => (setUrl(e.target.value), setErrors({}))}
          placeholder={editing ? `Stored (${editing.urlOrigin ?? ''}); leave blank to keep it` : kind === 'slack' ? 'https://hooks.slack.com/services/…' : 'https://…'}
          hint={`The URL is a password (its path is the token): kept in ${secretStore} only, never shown again.`}
          autoComplete="off"
          spellCheck={false}
        />
      ) : null}
      {kind === 'os' ? <p className="muted">Shown by the desktop app. In <code>mailroom serve</code> and <code>mailroom monitor</code> there is no desktop: these are written to the log instead.</p> : null}
      {failure ? <ErrorMessage error={failure} compact /> : null}
      <div className="form__row">
        <Button type="submit" variant="primary" busy={busy}>
          {editing ? 'Save destination' : 'Add destination'}
        </Button>
        {editing ? <Button onClick={onCancel}>Cancel</Button> : null}
      </div>
    </form>
  );
}
