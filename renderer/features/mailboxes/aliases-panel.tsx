import { useEffect, useState } from 'react';
import type { CachedAlias } from '../../../shared/domain/inventory.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { matchesQuery } from '../../app/search-store.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { SkeletonRows } from '../../components/skeleton.tsx';
import { Table } from '../../components/table.tsx';
import { canDo, whyNot } from '../domains/capabilities.ts';
import { capabilitiesOf, useInventory } from '../domains/inventory-store.ts';
import { AddressListDialog } from './address-list-dialog.tsx';
import { runChange } from './mailbox-actions.ts';

/** Aliases and catch-alls across connections, with an editor for their targets. */
export function AliasesPanel({ query }: { readonly query: string }) {
  const { domains, connections, revision } = useInventory();
  const [items, setItems] = useState<readonly CachedAlias[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [editing, setEditing] = useState<CachedAlias | 'new' | null>(null);
  const [removing, setRemoving] = useState<CachedAlias | null>(null);
  useEffect(() => {
    void api.aliases.list({ limit: 10_000 }).then((r) => (r.ok ? (setItems(r.value), setError(null)) : setError(r.error)));
  }, [revision]);
  const manageable = domains.filter((d) => canDo(capabilitiesOf(connections.find((c) => c.id === d.connectionId))?.alias.manage));
  const visible = (items ?? []).filter((a) => matchesQuery(query, [a.address, ...a.targets, a.connectionName]));
  const capsOf = (a: CachedAlias) => capabilitiesOf(connections.find((c) => c.id === a.connectionId));
  const save = (v: { connectionId: string; address: string; targets: readonly string[] }) => runChange(`save alias ${v.address}`, () => api.aliases.upsert(v.connectionId, { address: v.address, targets: v.targets }));
  return (
    <div className="panel-stack">
      <div className="panel-toolbar">
        <p className="muted">Aliases deliver to one or more addresses; the catch-all (<code>@domain</code>) takes mail for unknown addresses of its domain.</p>
        <Button variant="primary" icon={<Icon name="plus" size={16} />} onClick={() => setEditing('new')} disabled={manageable.length === 0}>
          New alias
        </Button>
      </div>
      {error ? (
        <ErrorMessage error={error} title="Could not read the aliases." />
      ) : items === null ? (
        <SkeletonRows label="Loading aliases" />
      ) : visible.length === 0 ? (
        <EmptyState title={items.length ? 'No alias matches the search' : 'No aliases yet'} icon={<Icon name="mailboxes" size={28} />}>
          <p>{items.length ? 'Clear the search to see every alias.' : 'Create an alias such as sales@ or info@ that delivers to one or more mailboxes.'}</p>
        </EmptyState>
      ) : (
        <Table caption="Aliases" head={<tr><th scope="col">Alias</th><th scope="col">Delivers to</th><th scope="col">Platform</th><th scope="col" className="table__actions"><span className="visually-hidden">Actions</span></th></tr>}>
          {visible.map((a) => (
            <tr key={`${a.connectionId}/${a.address}`}>
              <th scope="row" className="table__primary">
                {a.address.startsWith('@') ? <Badge tone="info">Catch-all</Badge> : null} {a.address}
                {!a.active ? <Badge tone="warning">Inactive</Badge> : null}
              </th>
              <td className="table__wrap">{a.targets.join(', ')}</td>
              <td>{a.connectionName}</td>
              <td className="table__actions">
                <Button size="sm" onClick={() => setEditing(a)} disabled={!canDo(capsOf(a)?.alias.manage)} title={whyNot(capsOf(a)?.alias.manage, 'Manage aliases')} aria-label={`Edit ${a.address}`}>
                  Edit
                </Button>
                <Button size="sm" variant="ghost" className="btn--danger-text" onClick={() => setRemoving(a)} disabled={!canDo(capsOf(a)?.alias.manage)} aria-label={`Delete ${a.address}`}>
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {editing ? (
        <AddressListDialog kind="alias" domains={manageable} initial={editing === 'new' ? undefined : { connectionId: editing.connectionId, address: editing.address, name: '', targets: editing.targets }} onSubmit={save} onClose={() => setEditing(null)} />
      ) : null}
      {removing ? (
        <ConfirmDialog title={`Delete ${removing.address}?`} confirmLabel="Delete alias" danger onCancel={() => setRemoving(null)} onConfirm={() => void runChange(`delete ${removing.address}`, () => api.aliases.remove(removing.connectionId, removing.address)).then(() => setRemoving(null))}>
          <p>Mail to this address will no longer reach {removing.targets.join(', ')}.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
