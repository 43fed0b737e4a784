import { useState } from 'react';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import { Combobox } from '../../components/combobox.tsx';
import { TextField } from '../../components/field.tsx';
import { connectionOptions } from '../../lib/pick-options.ts';
import { FormDialog } from '../../components/modal.tsx';
import { parseQuotaMb } from '../../lib/bytes.ts';
import { useInventory } from '../../state/inventory-store.ts';
import { notify, notifyError } from '../../state/toast-store.ts';

/** The new-domain form, on a connection whose platform can create domains. */
export function CreateDomainDialog({ connections, onClose }: { readonly connections: readonly ConnectionSummary[]; readonly onClose: () => void }) {
  const [connectionId, setConnectionId] = useState(connectionOptions(connections)[0]?.value ?? '');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [quota, setQuota] = useState('');
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const valid = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(name.trim());
  const quotaBytes = parseQuotaMb(quota);
  const submit = async () => {
    setTried(true);
    if (!valid || Number.isNaN(quotaBytes)) return;
    setBusy(true);
    const r = await useInventory.getState().createDomain(connectionId, { name: name.trim().toLowerCase(), ...(description ? { description } : {}), ...(quotaBytes !== null ? { quotaBytes } : {}) });
    setBusy(false);
    if (r.ok) {
      notify({ tone: 'success', title: `Created ${name.trim().toLowerCase()}`, body: 'Next: publish its DNS records on the Deliverability page.' });
      onClose();
    } else notifyError(`Could not create ${name.trim().toLowerCase()} on ${connections.find((c) => c.id === connectionId)?.name ?? 'the platform'}`, r.error, { connection: connections.find((c) => c.id === connectionId)?.name, object: name.trim().toLowerCase() });
  };
  return (
    <FormDialog title="New domain" submitLabel="Create domain" busy={busy} onSubmit={submit} onCancel={onClose} canSubmit={connections.length > 0}>
      <Combobox label="Connection" value={connectionId} onChange={setConnectionId} options={connectionOptions(connections)} />
      <TextField label="Domain name" value={name} onChange={(e) => setName(e.target.value)} placeholder="example.com" spellCheck={false} autoComplete="off" error={tried && !valid ? 'Enter a domain name such as example.com.' : null} />
      <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
      <TextField label="Domain quota (MB)" value={quota} onChange={(e) => setQuota(e.target.value)} placeholder="Unlimited" inputMode="numeric" error={Number.isNaN(quotaBytes) ? 'A number of MB, or empty.' : null} />
    </FormDialog>
  );
}

/** Deletes a domain after its name is typed back. */
export function DeleteDomainDialog({ domain, onClose }: { readonly domain: CachedDomain; readonly onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const r = await useInventory.getState().removeDomain(domain.connectionId, domain.name);
    setBusy(false);
    if (r.ok) {
      notify({ tone: 'success', title: `Deleted ${domain.name}` });
      onClose();
    } else notifyError(`Could not delete ${domain.name} on ${domain.connectionName}`, r.error, { connection: domain.connectionName, object: domain.name });
  };
  return (
    <FormDialog title={`Delete ${domain.name}?`} submitLabel="Delete domain" danger busy={busy} onSubmit={submit} onCancel={onClose} canSubmit={typed.trim().toLowerCase() === domain.name}>
      <p className="muted">
        {domain.mailboxCount ? `Its ${domain.mailboxCount.toLocaleString()} mailboxes and their mail are deleted too` : 'The domain is deleted'} on {domain.connectionName}. This cannot be undone from Mailroom.
      </p>
      <TextField label={`Type ${domain.name} to confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
    </FormDialog>
  );
}
