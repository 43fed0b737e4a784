import { useEffect, useState } from 'react';
import type { CachedGroup } from '../../../shared/domain/inventory.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { matchesQuery } from '../../app/search-store.ts';
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

const MODEL_TEXT: Record<string, string> = { object: 'group object', list: 'distribution list', 'alias-fanout': 'alias with several targets', none: '' };

/** Groups and distribution lists across connections, with a members editor. */
export function GroupsPanel({ query }: { readonly query: string }) {
  const { domains, connections, revision } = useInventory();
  const [items, setItems] = useState<readonly CachedGroup[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [editing, setEditing] = useState<CachedGroup | 'new' | null>(null);
  const [removing, setRemoving] = useState<CachedGroup | null>(null);
  useEffect(() => {
    void api.groups.list({ limit: 10_000 }).then((r) => (r.ok ? (setItems(r.value), setError(null)) : setError(r.error)));
  }, [revision]);
  const capsOf = (connectionId: string) => capabilitiesOf(connections.find((c) => c.id === connectionId));
  const manageable = domains.filter((d) => canDo(capsOf(d.connectionId)?.group.manage));
  const visible = (items ?? []).filter((g) => matchesQuery(query, [g.address, g.name, ...g.members, g.connectionName]));
  const save = (v: { connectionId: string; address: string; name: string; targets: readonly string[] }) =>
    runChange(`save group ${v.address}`, () => api.groups.upsert(v.connectionId, { address: v.address, ...(v.name ? { name: v.name } : {}), members: v.targets }));
  return (
    <div className="panel-stack">
      <div className="panel-toolbar">
        <p className="muted">Groups deliver to every member. Platforms model them differently; the Platform column says how.</p>
        <Button variant="primary" icon={<Icon name="plus" size={16} />} onClick={() => setEditing('new')} disabled={manageable.length === 0}>
          New group
        </Button>
      </div>
      {error ? (
        <ErrorMessage error={error} title="Could not read the groups." />
      ) : items === null ? (
        <SkeletonRows label="Loading groups" />
      ) : visible.length === 0 ? (
        <EmptyState title={items.length ? 'No group matches the search' : 'No groups yet'} icon={<Icon name="mailboxes" size={28} />}>
          <p>{items.length ? 'Clear the search to see every group.' : 'Create a group such as team@ and choose its members.'}</p>
        </EmptyState>
      ) : (
        <Table caption="Groups" head={<tr><th scope="col">Group</th><th scope="col">Members</th><th scope="col">Platform</th><th scope="col" className="table__actions"><span className="visually-hidden">Actions</span></th></tr>}>
          {visible.map((g) => {
            const caps = capsOf(g.connectionId);
            return (
              <tr key={`${g.connectionId}/${g.address}`}>
                <th scope="row" className="table__primary">
                  {g.address}
                  <span className="table__sub">{g.name ?? ''}</span>
                </th>
                <td className="table__wrap">
                  {g.members.length} · <span className="muted">{g.members.slice(0, 4).join(', ')}{g.members.length > 4 ? ', …' : ''}</span>
                </td>
                <td>
                  {g.connectionName}
                  <span className="table__sub">{MODEL_TEXT[caps?.group.model ?? 'none']}</span>
                </td>
                <td className="table__actions">
                  <Button size="sm" onClick={() => setEditing(g)} disabled={!canDo(caps?.group.manage)} title={whyNot(caps?.group.manage, 'Manage groups')} aria-label={`Edit members of ${g.address}`}>
                    Members
                  </Button>
                  <Button size="sm" variant="ghost" className="btn--danger-text" onClick={() => setRemoving(g)} disabled={!canDo(caps?.group.manage)} aria-label={`Delete ${g.address}`}>
                    Delete
                  </Button>
                </td>
              </tr>
            );
          })}
        </Table>
      )}
      {editing ? (
        <AddressListDialog kind="group" domains={manageable} initial={editing === 'new' ? undefined : { connectionId: editing.connectionId, address: editing.address, name: editing.name ?? '', targets: editing.members }} onSubmit={save} onClose={() => setEditing(null)} />
      ) : null}
      {removing ? (
        <ConfirmDialog title={`Delete ${removing.address}?`} confirmLabel="Delete group" danger onCancel={() => setRemoving(null)} onConfirm={() => void runChange(`delete ${removing.address}`, () => api.groups.remove(removing.connectionId, removing.address)).then(() => setRemoving(null))}>
          <p>Mail to this group will no longer reach its {removing.members.length} members.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
