import { useEffect, useRef, useState } from 'react';
import type { FleetSettings } from '../../../shared/domain/fleet.ts';
import type { StartBatchOptions } from '../../../shared/domain/migration.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';

/** Where a batch runs, as chosen in the dialog. */
export type RunTarget = 'local' | 'fleet';

/**
 * Run batch: on this machine, or on the fleet at a Redis. The fleet's Redis URL, state URL, queue
 * prefix and public key are stored as settings (the Redis password in the keychain) before the start.
 */
export function RunBatchDialog({ planName, onRun, onCancel }: { readonly planName: string; readonly onRun: (options: StartBatchOptions) => Promise<AppError | null>; readonly onCancel: () => void }) {
  const [target, setTarget] = useState<RunTarget>('fleet');
  const [stored, setStored] = useState<FleetSettings | null>(null);
  const [redis, setRedis] = useState('');
  const [state, setState] = useState('');
  const [prefix, setPrefix] = useState('');
  const [recipient, setRecipient] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void api.migration.fleetSettings().then((r) => {
      if (!r.ok) return setFailure(r.error);
      setStored(r.value);
      setRedis(r.value.redis ?? '');
      setState(r.value.state ?? '');
      setPrefix(r.value.prefix ?? '');
      setRecipient(r.value.recipient ?? '');
    });
  }, []);
  const readKey = async (file: File | undefined) => {
    if (file) setRecipient((await file.text()).trim());
  };
  const run = async () => {
    setBusy(true);
    setFailure(null);
    const saved = target === 'fleet' ? await api.migration.setFleetSettings({ redis, state, recipient, ...(prefix ? { prefix } : {}), ...(password ? { redisPassword: password } : {}) }) : null;
    const error = saved && !saved.ok ? saved.error : await onRun(target === 'fleet' ? { fleet: { redis, state, ...(prefix ? { prefix } : {}) } } : {});
    setBusy(false);
    setFailure(error);
  };
  return (
    <ConfirmDialog title={`Run “${planName}”`} confirmLabel="Run batch" busy={busy} onConfirm={() => void run()} onCancel={onCancel}>
      <fieldset className="radio-group">
        <legend className="field__label">Run on</legend>
        <label className="radio-card">
          <input type="radio" name="run-target" checked={target === 'local'} onChange={() => setTarget('local')} aria-label="This machine" />
          <span className="radio-card__label" aria-hidden="true">This machine</span>
          <span className="radio-card__hint">Mailroom copies the mailboxes itself</span>
        </label>
        <label className="radio-card">
          <input type="radio" name="run-target" checked={target === 'fleet'} onChange={() => setTarget('fleet')} aria-label="Fleet" />
          <span className="radio-card__label" aria-hidden="true">Fleet</span>
          <span className="radio-card__hint">
            <code>mailroom worker</code>s take the mailboxes from Redis
          </span>
        </label>
      </fieldset>
      {target === 'fleet' ? (
        <div className="run-fleet">
          <TextField label="Redis URL" value={redis} onChange={(e) => setRedis(e.target.value)} placeholder="redis://fleet.example:6379" hint="redis:// or rediss:// (TLS), without a password." required />
          <TextField
            label="Redis password"
            type="password"
            autoComplete="off"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            placeholder={stored?.hasRedisPassword ? 'kept in the keychain' : 'none'}
            hint="Optional; kept in the system keychain, never in the settings."
          />
          <TextField label="State URL" value={state} onChange={(e) => setState(e.target.value)} placeholder="sqlite:/srv/mailroom/state.db" hint="The write-ahead state the workers share (the same --state the workers run with)." required />
          <TextField label="Queue prefix" value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder="mailroom" hint="Only when the workers run with --queue-prefix." />
          <div className="field">
            <div className="plan-form__csv-head">
              <label className="field__label" htmlFor="fleet-recipient">
                Fleet public key
              </label>
              <input ref={fileRef} type="file" accept=".pub,text/plain" className="visually-hidden" tabIndex={-1} aria-label="Fleet public key file" onChange={(e) => void readKey(e.target.files?.[0])} />
              <Button size="sm" variant="ghost" icon={<Icon name="upload" size={14} />} onClick={() => fileRef.current?.click()}>
                Choose file…
              </Button>
            </div>
            <textarea id="fleet-recipient" className="field__control mono" rows={2} value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder="age1…" spellCheck={false} aria-describedby="fleet-recipient-hint" />
            <span className="field__hint" id="fleet-recipient-hint">
              The contents of FLEET.key.pub from <code>mailroom fleet keygen</code>: every password is sealed to it before it reaches Redis.
            </span>
          </div>
        </div>
      ) : null}
      {failure ? <ErrorMessage error={failure} compact /> : null}
    </ConfirmDialog>
  );
}
