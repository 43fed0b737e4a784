import { useMemo, useState } from 'react';
import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { Combobox } from '../../components/combobox.tsx';
import { TextField } from '../../components/field.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { parseQuotaMb } from '../../lib/bytes.ts';
import { generatePassword, passwordStrength } from '../../lib/password.ts';
import { canDo, whyNot } from '../../lib/capability-support.ts';
import { domainKey as keyOf, domainPickOptions } from '../../lib/pick-options.ts';
import { useCapabilities, useCapabilityLookup } from '../../state/capabilities-store.ts';
import { runChange } from './mailbox-actions.ts';

/** The new-mailbox form: local part on a chosen domain, display name, generated password, quota. The password lives only in this form. */
export function CreateMailboxDialog({ domains, onClose }: { readonly domains: readonly CachedDomain[]; readonly onClose: () => void }) {
  const capsOf = useCapabilityLookup();
  const byConnection = useCapabilities((s) => s.byConnection);
  const creatable = useMemo(() => domains.filter((d) => canDo(byConnection[d.connectionId]?.mailbox.create)), [domains, byConnection]);
  const choices = useMemo(() => domainPickOptions(creatable), [creatable]);
  const [domainKey, setDomainKey] = useState(choices[0]?.value ?? '');
  const [local, setLocal] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState(() => generatePassword());
  const [shown, setShown] = useState(true);
  const [quota, setQuota] = useState('');
  const [forceChange, setForceChange] = useState(false);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const domain = creatable.find((d) => keyOf(d) === domainKey);
  const caps = capsOf(domain?.connectionId);
  const quotaBytes = parseQuotaMb(quota);
  const errors = {
    local: /^[a-z0-9._%+-]+$/i.test(local) ? null : 'Enter the part before @: letters, digits and . _ % + -',
    password: password.length >= 8 ? null : 'At least 8 characters.',
    quota: Number.isNaN(quotaBytes) ? 'Enter a number of MB, or leave empty for unlimited.' : null,
  };
  const submit = async () => {
    setTried(true);
    if (!domain || errors.local || errors.password || errors.quota) return;
    setBusy(true);
    const address = `${local.toLowerCase()}@${domain.name}`;
    const done = await runChange(
      `create ${address}`,
      () =>
        api.mailboxes.create(domain.connectionId, {
          address,
          password,
          ...(name.trim() ? { displayName: name.trim() } : {}),
          ...(quotaBytes !== null && !Number.isNaN(quotaBytes) ? { quotaBytes } : {}),
          ...(forceChange ? { forceChangeAtFirstLogin: true } : {}),
        }),
      { connectionId: domain.connectionId, object: address },
    );
    setBusy(false);
    // The password was handed to the api call only; clear it from the form whatever the outcome.
    if (done) {
      setPassword('');
      onClose();
    }
  };
  const strength = passwordStrength(password);
  return (
    <FormDialog title="New mailbox" submitLabel="Create mailbox" wide busy={busy} onSubmit={submit} onCancel={onClose} canSubmit={creatable.length > 0}>
      {creatable.length === 0 ? <p className="muted">No connected platform lets Mailroom create mailboxes. Add a PostfixAdmin, mailcow, Stalwart, Google or Microsoft connection first.</p> : null}
      <div className="form__row">
        <TextField label="Address" className="form__grow" value={local} onChange={(e) => setLocal(e.target.value.trim())} autoComplete="off" spellCheck={false} error={tried ? errors.local : null} placeholder="jane.doe" />
        <Combobox label="Domain" className="form__grow" value={domainKey} onChange={setDomainKey} options={choices} />
      </div>
      <TextField label="Display name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Jane Doe" />
      <div className="form__row form__row--end">
        <TextField
          label="Password"
          className="form__grow"
          type={shown ? 'text' : 'password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          spellCheck={false}
          error={tried ? errors.password : null}
          hint={`Strength: ${strength}. Copy it now: Mailroom does not keep it.`}
        />
        <Button size="sm" onClick={() => setPassword(generatePassword())}>
          Generate
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setShown((s) => !s)}>
          {shown ? 'Hide' : 'Show'}
        </Button>
      </div>
      <TextField label="Quota (MB)" value={quota} onChange={(e) => setQuota(e.target.value)} inputMode="numeric" placeholder="Unlimited" error={tried ? errors.quota : null} disabled={!canDo(caps?.quota.set)} title={whyNot(caps?.quota.set, 'Set quotas')} />
      <label className="checkbox" title={whyNot(caps?.mailbox.forcePasswordChange, 'Force a password change')}>
        <input type="checkbox" checked={forceChange} disabled={!canDo(caps?.mailbox.forcePasswordChange)} onChange={(e) => setForceChange(e.target.checked)} />
        Ask for a new password at first login
      </label>
    </FormDialog>
  );
}
