import { useState } from 'react';
import type { CachedMailbox } from '../../../shared/domain/inventory.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { TextField } from '../../components/field.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { parseQuotaMb, quotaToMb } from '../../lib/bytes.ts';
import { generatePassword } from '../../lib/password.ts';
import { runChange } from './mailbox-actions.ts';

interface DialogProps {
  readonly mailbox: CachedMailbox;
  readonly onClose: () => void;
}

/** Edits the display name and quota of a mailbox. */
export function EditMailboxDialog({ mailbox: m, onClose, quotaAllowed }: DialogProps & { readonly quotaAllowed: boolean }) {
  const [name, setName] = useState(m.displayName ?? '');
  const [quota, setQuota] = useState(quotaToMb(m.quotaBytes));
  const [busy, setBusy] = useState(false);
  const bytes = parseQuotaMb(quota);
  const submit = async () => {
    if (Number.isNaN(bytes)) return;
    setBusy(true);
    const patch = { displayName: name.trim(), ...(quotaAllowed ? { quotaBytes: bytes } : {}) };
    if (await runChange(`update ${m.address}`, () => api.mailboxes.update(m.connectionId, m.address, patch), { connectionId: m.connectionId, object: m.address })) onClose();
    setBusy(false);
  };
  return (
    <FormDialog title={`Edit ${m.address}`} submitLabel="Save" busy={busy} onSubmit={submit} onCancel={onClose}>
      <TextField label="Display name" value={name} onChange={(e) => setName(e.target.value)} />
      <TextField label="Quota (MB)" value={quota} onChange={(e) => setQuota(e.target.value)} inputMode="numeric" placeholder="Unlimited" disabled={!quotaAllowed} error={Number.isNaN(bytes) ? 'Enter a number of MB, or leave empty for unlimited.' : null} />
    </FormDialog>
  );
}

/** Sets a new password; the value stays in this dialog and is dropped when it closes. */
export function PasswordDialog({ mailbox: m, onClose }: DialogProps) {
  const [password, setPassword] = useState(() => generatePassword());
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (password.length < 8) return;
    setBusy(true);
    const done = await runChange(`reset the password of ${m.address}`, () => api.mailboxes.setPassword(m.connectionId, m.address, password), { connectionId: m.connectionId, object: m.address });
    setBusy(false);
    if (done) onClose();
  };
  return (
    <FormDialog title={`Reset password of ${m.address}`} submitLabel="Set password" busy={busy} onSubmit={submit} onCancel={onClose} canSubmit={password.length >= 8}>
      <div className="form__row form__row--end">
        <TextField label="New password" className="form__grow" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" spellCheck={false} hint="Copy it now: Mailroom does not keep it." />
        <Button size="sm" onClick={() => setPassword(generatePassword())}>
          Generate
        </Button>
      </div>
    </FormDialog>
  );
}

/** Edits forwarding targets (one per line) and keep-a-copy. */
export function ForwardingDialog({ mailbox: m, onClose, keepCopyAllowed }: DialogProps & { readonly keepCopyAllowed: boolean }) {
  const [targets, setTargets] = useState(m.forwardTargets.join('\n'));
  const [keepCopy, setKeepCopy] = useState(m.forwardTargets.length === 0 ? true : m.keepCopy);
  const [busy, setBusy] = useState(false);
  const list = targets.split(/[\s,;]+/).map((t) => t.trim().toLowerCase()).filter(Boolean);
  const invalid = list.filter((t) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(t));
  const submit = async () => {
    if (invalid.length) return;
    setBusy(true);
    const what = list.length ? `forward ${m.address}` : `stop forwarding ${m.address}`;
    if (await runChange(what, () => api.mailboxes.setForwarding(m.connectionId, m.address, list, keepCopyAllowed && keepCopy), { connectionId: m.connectionId, object: m.address })) onClose();
    setBusy(false);
  };
  return (
    <FormDialog title={`Forwarding of ${m.address}`} submitLabel={list.length ? 'Save forwarding' : 'Turn forwarding off'} busy={busy} onSubmit={submit} onCancel={onClose} canSubmit={invalid.length === 0}>
      <div className="field">
        <label className="field__label" htmlFor="forward-targets">
          Forward to
        </label>
        <textarea id="forward-targets" className="field__control" rows={3} value={targets} onChange={(e) => setTargets(e.target.value)} placeholder="one address per line" spellCheck={false} />
        {invalid.length ? <p className="field__error">Not an address: {invalid.join(', ')}</p> : <p className="field__hint">Leave empty to turn forwarding off. Forwarding outside your domains can break SPF and DMARC; see Routing.</p>}
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={keepCopyAllowed && keepCopy} disabled={!keepCopyAllowed} onChange={(e) => setKeepCopy(e.target.checked)} />
        Keep a copy in this mailbox
      </label>
    </FormDialog>
  );
}

/** Deletes a mailbox after the address is typed back. */
export function DeleteMailboxDialog({ mailbox: m, onClose }: DialogProps) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    if (await runChange(`delete ${m.address}`, () => api.mailboxes.remove(m.connectionId, m.address), { connectionId: m.connectionId, object: m.address })) onClose();
    setBusy(false);
  };
  return (
    <FormDialog title={`Delete ${m.address}?`} submitLabel="Delete mailbox" danger busy={busy} onSubmit={submit} onCancel={onClose} canSubmit={typed.trim().toLowerCase() === m.address.toLowerCase()}>
      <p className="muted">The mailbox and its mail are deleted on {m.connectionName}. This cannot be undone from Mailroom.</p>
      <TextField label={`Type ${m.address} to confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
    </FormDialog>
  );
}
