import { useState } from 'react';
import type { CachedMailbox } from '../../../shared/domain/inventory.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { TextField } from '../../components/field.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { UsageBar } from '../../components/usage-bar.tsx';
import { canDo, whyNot } from '../../lib/capability-support.ts';
import { useCapabilityLookup } from '../../state/capabilities-store.ts';
import { runChange } from './mailbox-actions.ts';
import { DeleteMailboxDialog, EditMailboxDialog, ForwardingDialog, PasswordDialog } from './mailbox-dialogs.tsx';
import { platformName } from '../../lib/platform-name.ts';

type Open = 'edit' | 'password' | 'forward' | 'delete' | 'invite' | 'suspend' | null;

/** The side panel of one mailbox: facts and every action, greyed out with the manual path where the platform cannot. */
export function MailboxDetail({ mailbox: m, onClose }: { readonly mailbox: CachedMailbox; readonly onClose: () => void }) {
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const caps = useCapabilityLookup()(m.connectionId);
  const close = () => setOpen(null);
  const target = { connectionId: m.connectionId, object: m.address };
  const setActive = (active: boolean) => () => api.mailboxes.update(m.connectionId, m.address, { active });
  // Suspending locks a person out: it asks first, and its toast offers Undo. Unsuspending acts at once.
  const suspend = async () => {
    setBusy(true);
    const undo = () => void runChange(`unsuspend ${m.address}`, setActive(true), target, { title: `Unsuspended ${m.address}` });
    if (await runChange(`suspend ${m.address}`, setActive(false), target, { title: `Suspended ${m.address}`, undo })) close();
    setBusy(false);
  };
  const unsuspend = async () => {
    setBusy(true);
    await runChange(`unsuspend ${m.address}`, setActive(true), target, { title: `Unsuspended ${m.address}` });
    setBusy(false);
  };
  const action = (label: string, support: Parameters<typeof canDo>[0], what: string, onClick: () => void, danger = false) => {
    const allowed = canDo(support);
    return (
      <Button size="sm" variant={danger ? 'ghost' : 'secondary'} className={danger ? 'btn--danger-text' : undefined} disabled={!allowed} title={whyNot(support, what)} onClick={onClick} aria-label={`${label} ${m.address}`}>
        {label}
      </Button>
    );
  };
  return (
    <aside className="detail" aria-label={`Mailbox ${m.address}`}>
      <header className="detail__head">
        <div>
          <h2 className="detail__title">{m.address}</h2>
          <p className="muted">{m.displayName ?? 'No display name'}</p>
        </div>
        <Button size="sm" variant="ghost" onClick={onClose} aria-label="Close details">
          ×
        </Button>
      </header>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{m.active ? <Badge tone="success">Active</Badge> : <Badge tone="warning">Suspended</Badge>}</dd>
        <dt>Platform</dt>
        <dd>
          {m.connectionName} <span className="muted">({platformName(m.connectionKind)})</span>
        </dd>
        <dt>Storage</dt>
        <dd>
          <UsageBar used={m.usedBytes} quota={m.quotaBytes} />
        </dd>
        <dt>Messages</dt>
        <dd>{m.messageCount?.toLocaleString() ?? '—'}</dd>
        <dt>Forwarding</dt>
        <dd>{m.forwardTargets.length ? `${m.forwardTargets.join(', ')}${m.keepCopy ? ' (keeps a copy)' : ''}` : 'Off'}</dd>
        <dt>Cached</dt>
        <dd>
          {m.refreshedAt ? <RelativeTime iso={m.refreshedAt} /> : 'never refreshed'} {m.stale ? <Badge tone="warning">Stale</Badge> : null}
        </dd>
      </dl>
      <div className="detail__actions">
        {action('Edit', caps?.mailbox.update, 'Edit mailboxes', () => setOpen('edit'))}
        {action('Reset password', caps?.mailbox.setPassword, 'Reset passwords', () => setOpen('password'))}
        {action('Forwarding', caps?.forward.set, 'Set forwarding', () => setOpen('forward'))}
        {action('Invite', caps?.mailbox.setPassword, 'Send invitations', () => setOpen('invite'))}
        <Button size="sm" busy={busy} disabled={!canDo(caps?.mailbox.suspend)} title={whyNot(caps?.mailbox.suspend, 'Suspend mailboxes')} onClick={m.active ? () => setOpen('suspend') : unsuspend} aria-label={`${m.active ? 'Suspend' : 'Unsuspend'} ${m.address}`}>
          {m.active ? 'Suspend' : 'Unsuspend'}
        </Button>
        {action('Delete', caps?.mailbox.remove, 'Delete mailboxes', () => setOpen('delete'), true)}
      </div>
      {caps?.forward.needsConfirmation ? <p className="field__hint">On this platform the forwarding target must confirm before forwarding starts.</p> : null}
      {open === 'edit' ? <EditMailboxDialog mailbox={m} onClose={close} quotaAllowed={canDo(caps?.quota.set)} /> : null}
      {open === 'password' ? <PasswordDialog mailbox={m} onClose={close} /> : null}
      {open === 'forward' ? <ForwardingDialog mailbox={m} onClose={close} keepCopyAllowed={caps?.forward.keepCopy ?? true} /> : null}
      {open === 'delete' ? <DeleteMailboxDialog mailbox={m} onClose={() => (close(), onClose())} /> : null}
      {open === 'invite' ? <InviteDialog mailbox={m} onClose={close} /> : null}
      {open === 'suspend' ? (
        <ConfirmDialog title={`Suspend ${m.address}?`} confirmLabel="Suspend mailbox" danger busy={busy} onCancel={close} onConfirm={() => void suspend()}>
          <p>
            {m.displayName ?? m.address} can no longer sign in on {m.connectionName} until the mailbox is unsuspended. Nothing is deleted, and the toast that follows can undo it.
          </p>
        </ConfirmDialog>
      ) : null}
    </aside>
  );
}

function InviteDialog({ mailbox: m, onClose }: { readonly mailbox: CachedMailbox; readonly onClose: () => void }) {
  const [sendTo, setSendTo] = useState('');
  const [busy, setBusy] = useState(false);
  const valid = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(sendTo.trim());
  const submit = async () => {
    setBusy(true);
    if (await runChange(`invite ${m.address}`, () => api.mailboxes.invite({ connectionId: m.connectionId, address: m.address, sendTo: sendTo.trim() }), { connectionId: m.connectionId, object: m.address })) onClose();
    setBusy(false);
  };
  return (
    <FormDialog title={`Invite the user of ${m.address}`} submitLabel="Send invitation" busy={busy} onSubmit={submit} onCancel={onClose} canSubmit={valid}>
      <p className="muted">Mailroom sets a one-time password, mails it through the SMTP relay set in <a href="#/settings/invitations">Settings › Invitations</a>, and forces a change at first login where the platform can. The password is never shown or stored.</p>
      <TextField label="Send the invitation to" type="email" value={sendTo} onChange={(e) => setSendTo(e.target.value)} placeholder="the person's current address" />
    </FormDialog>
  );
}
