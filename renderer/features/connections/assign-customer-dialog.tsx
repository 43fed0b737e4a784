import { useEffect, useId, useState } from 'react';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import { UNASSIGNED_CUSTOMER } from '../../../shared/domain/standards.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/field.tsx';
import { FormDialog } from '../../components/modal.tsx';
import { notify } from '../../state/toast-store.ts';

/** Puts a connection (and so its domains) under an MSP customer through `standards.assignCustomer`; blank clears it. The service journals the change. */
export function AssignCustomerDialog({ connection, onClose }: { readonly connection: ConnectionSummary; readonly onClose: () => void }) {
  const [name, setName] = useState(connection.customer ?? '');
  const [known, setKnown] = useState<readonly string[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  const listId = useId();
  useEffect(() => {
    let live = true;
    void api.standards.customers().then((r) => live && r.ok && setKnown(r.value.map((c) => c.name).filter((c) => c !== UNASSIGNED_CUSTOMER)));
    return () => {
      live = false;
    };
  }, []);
  const customer = name.trim();
  const reserved = customer.toLowerCase() === UNASSIGNED_CUSTOMER;
  const submit = async () => {
    setBusy(true);
    const result = await api.standards.assignCustomer(connection.id, customer === '' ? null : customer);
    setBusy(false);
    if (!result.ok) return setFailure(result.error);
    notify({ tone: 'success', title: customer ? `“${connection.name}” now belongs to ${customer}` : `“${connection.name}” has no customer now` });
    onClose();
  };
  return (
    <FormDialog title={`Customer of “${connection.name}”`} submitLabel={customer ? 'Assign customer' : 'Clear customer'} busy={busy} canSubmit={!reserved && customer !== (connection.customer ?? '')} onSubmit={() => void submit()} onCancel={onClose}>
      <TextField
        label="Customer"
        value={name}
        list={listId}
        autoComplete="off"
        placeholder="None"
        onChange={(e) => setName(e.target.value)}
        hint="The MSP client this connection and its domains belong to; blank for none. Not Google’s Directory customer id."
        error={reserved ? `“${UNASSIGNED_CUSTOMER}” is the name shown for no customer: leave the field blank instead.` : null}
      />
      <datalist id={listId}>
        {known.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      {failure ? <ErrorMessage error={failure} title="Could not assign the customer." compact /> : null}
    </FormDialog>
  );
}
