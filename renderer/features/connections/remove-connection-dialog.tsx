import { useEffect, useState } from 'react';
import type { ConnectionDependents, ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Spinner } from '../../components/spinner.tsx';

/** Asks before removing a connection, listing the plans, batches, DKIM keys and checks that use it. */
export function RemoveConnectionDialog({ connection, busy, onConfirm, onCancel }: { readonly connection: ConnectionSummary; readonly busy: boolean; readonly onConfirm: (force: boolean) => void; readonly onCancel: () => void }) {
  const [dependents, setDependents] = useState<ConnectionDependents | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    void api.connections.dependents(connection.id).then((r) => {
      if (!live) return;
      if (r.ok) setDependents(r.value);
      else setFailure(r.error);
    });
    return () => {
      live = false;
    };
  }, [connection.id]);
  const inUse = dependents?.inUse === true;
  return (
    <ConfirmDialog
      title={inUse ? `“${connection.name}” is in use. Remove it anyway?` : `Remove “${connection.name}”?`}
      confirmLabel={inUse ? 'Remove anyway' : 'Remove connection'}
      danger
      busy={busy || (dependents === null && failure === null)}
      onConfirm={() => onConfirm(inUse)}
      onCancel={onCancel}
    >
      {failure ? <ErrorMessage error={failure} title="Could not check what uses this connection." compact /> : null}
      {dependents === null && failure === null ? <Spinner label="Checking what uses this connection" /> : null}
      {inUse ? (
        <>
          <p>These refer to it and stop working once it is gone:</p>
          <ul className="dependents" aria-label={`What uses ${connection.name}`}>
            {dependents.plans.map((p) => (
              <li key={p.id}>
                Migration plan “{p.name}” ({p.rows} {p.rows === 1 ? 'mailbox' : 'mailboxes'})
              </li>
            ))}
            {dependents.batches.map((b) => (
              <li key={b.id}>
                Batch of “{b.planName}” ({b.status})
              </li>
            ))}
            {dependents.dkimKeys.map((k) => (
              <li key={k}>DKIM key {k}</li>
            ))}
            {dependents.monitoredDomains.map((d) => (
              <li key={d}>Deliverability check of {d}</li>
            ))}
          </ul>
          <p>To fix a wrong password or host instead, cancel and choose Edit: plans and batches keep working.</p>
        </>
      ) : null}
      <p>
        Mailroom forgets this connection
        {dependents && dependents.cachedDomains + dependents.cachedMailboxes > 0 ? ` and its cached ${dependents.cachedDomains} domains and ${dependents.cachedMailboxes} mailboxes` : ''} and deletes its secret from the keychain. Nothing changes on the server itself.
      </p>
    </ConfirmDialog>
  );
}
