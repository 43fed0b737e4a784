import { useEffect, useState, type ClipboardEvent, type FormEvent } from 'react';
import type { RelaySettings, RelayTls } from '../../../shared/domain/relay.ts';
import { newRelaySettings } from '../../../shared/ipc/schemas/relay.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { notify } from '../../state/toast-store.ts';
import { hasLineBreak, issueMap } from './issue-map.ts';
import { RelayTestSend } from './relay-test-send.tsx';
import { useSave } from './use-save.ts';

type Draft = { host: string; port: string; tls: RelayTls; user: string; password: string; from: string };
type FieldName = keyof Draft;

const TLS_OPTIONS = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'implicit', label: 'TLS from the start (usually port 465)' },
  { value: 'none', label: 'None (only for a relay on this machine or network)' },
];
const EMPTY: Draft = { host: '', port: '587', tls: 'starttls', user: '', password: '', from: '' };
const draftOf = (r: RelaySettings | null): Draft => (r ? { host: r.host, port: String(r.port), tls: r.tls, user: r.user ?? '', password: '', from: r.from } : EMPTY);
const LINE_BREAK = 'Line breaks are not allowed here: the pasted text had one, so nothing was pasted.';

/** Settings › Invitations: the SMTP relay one-time passwords are mailed through, with a test send. Same schema as `mailroom relay set`. */
export function RelaySettingsCard({ secretStore }: { readonly secretStore: string }) {
  const [saved, setSaved] = useState<RelaySettings | null | undefined>(undefined);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const { busy, failure, setFailure, run } = useSave<RelaySettings>();
  const show = (r: RelaySettings | null) => {
    setSaved(r);
    setDraft(draftOf(r));
  };
  useEffect(() => {
    let live = true;
    void api.relay.get().then((r) => live && (r.ok ? show(r.value) : (setFailure(r.error), setSaved(null))));
    return () => {
      live = false;
    };
  }, []);
  const edit = (name: FieldName, value: string) => {
    setDraft((d) => ({ ...d, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
  };
  const refuseLineBreak = (name: FieldName) => (e: ClipboardEvent<HTMLInputElement>) => {
    // Browsers drop line breaks from one-line fields on paste; say so instead of pasting a silently altered value.
    if (!hasLineBreak(e.clipboardData.getData('text'))) return;
    e.preventDefault();
    setErrors((prev) => ({ ...prev, [name]: LINE_BREAK }));
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const input = {
      host: draft.host.trim(),
      port: draft.port.trim() === '' ? Number.NaN : Number(draft.port),
      tls: draft.tls,
      from: draft.from.trim(),
      ...(draft.user.trim() ? { user: draft.user.trim() } : {}),
      ...(draft.user.trim() && draft.password ? { password: draft.password } : {}),
    };
    const checked = newRelaySettings.safeParse(input);
    if (!checked.success) {
      const byPath = issueMap(checked.error);
      setErrors({ host: byPath['host'], port: byPath['port'] && 'a port from 1 to 65535', user: byPath['user'], password: byPath['password'], from: byPath['from'] });
      return;
    }
    await run(
      () => api.relay.set(input),
      (relay) => {
        setErrors({});
        show(relay);
        notify({ tone: 'success', title: 'SMTP relay saved', body: `Invitations go through ${relay.host}:${relay.port}.` });
      },
    );
  };
  const dirty = saved !== undefined && JSON.stringify(draftOf(saved)) !== JSON.stringify(draft);
  const field = (name: FieldName) => ({ value: draft[name], error: errors[name] ?? null, onChange: (ev: { target: { value: string } }) => edit(name, ev.target.value), onPaste: refuseLineBreak(name), spellCheck: false, autoComplete: 'off' });
  return (
    <section className="card" id="settings-invitations" aria-labelledby="relay-title" tabIndex={-1}>
      <h2 id="relay-title" className="card__title">
        Invitations: SMTP relay
      </h2>
      <p className="card__subtitle">Invitations with a one-time password are mailed through this server. The CLI sets the same relay with <code>mailroom relay set</code>.</p>
      {saved === undefined ? (
        <Spinner label="Loading the relay setting" />
      ) : (
        <form className="resolver-form" onSubmit={(e) => void save(e)} noValidate aria-label="SMTP relay">
          {saved === null ? <p className="muted">No relay is configured yet: invitations cannot be sent until one is saved.</p> : null}
          <div className="form__row">
            <TextField className="form__grow" label="Host" placeholder="smtp.example.com" {...field('host')} />
            <TextField className="form__port" label="Port" inputMode="numeric" {...field('port')} />
          </div>
          <SelectField label="Encryption" options={TLS_OPTIONS} value={draft.tls} onChange={(e) => edit('tls', e.target.value)} />
          <TextField label="From address" placeholder="it@example.com" hint="Sender of invitation mails, also used as the envelope sender." {...field('from')} />
          <div className="form__row">
            <TextField className="form__grow" label="User (optional)" hint="Leave empty for a relay that needs no login; that also removes a stored password." {...field('user')} />
            <TextField
              className="form__grow"
              label="Password"
              type="password"
              placeholder={saved?.hasPassword ? 'Stored; leave blank to keep it' : ''}
              hint={`Kept in ${secretStore} only, never shown again.${saved?.hasPassword ? ' Leave blank to keep the stored one.' : ''}`}
              disabled={draft.user.trim() === ''}
              {...field('password')}
              autoComplete="new-password"
            />
          </div>
          {failure ? <ErrorMessage error={failure} compact /> : null}
          <div>
            <Button type="submit" variant="primary" busy={busy}>
              Save relay
            </Button>
          </div>
        </form>
      )}
      {saved ? <RelayTestSend relay={saved} unsaved={dirty} /> : null}
    </section>
  );
}
