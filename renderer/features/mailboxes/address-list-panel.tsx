import { useEffect, useState, type ReactNode } from 'react';
import type { Capabilities } from '../../../shared/domain/provisioning.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { Button } from '../../components/button.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { SkeletonRows } from '../../components/skeleton.tsx';
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table.tsx';
import { canDo, whyNot } from '../../lib/capability-support.ts';
import { useCapabilityLookup } from '../../state/capabilities-store.ts';
import { useInventory } from '../../state/inventory-store.ts';
import { matchesQuery } from '../../state/search-store.ts';
import { AddressListDialog, type AddressListValue } from './address-list-dialog.tsx';
import { runChange } from './mailbox-actions.ts';

const NOUNS = { alias: { one: 'alias', many: 'aliases', title: 'Aliases' }, group: { one: 'group', many: 'groups', title: 'Groups' } } as const;

/** What an alias or group panel says and does that the shared list does not. */
export interface AddressListPanelProps<T extends { readonly connectionId: string; readonly address: string }> {
  readonly kind: 'alias' | 'group';
  readonly query: string;
  /** The line above the list. */
  readonly intro: ReactNode;
  /** What the empty state suggests creating. */
  readonly emptyHint: string;
  /** Headers of the address, targets and platform columns. */
  readonly columns: readonly [string, string, string];
  /** The edit button's text and the start of its accessible name (`${prefix} ${address}`). */
  readonly edit: { readonly label: string; readonly ariaPrefix: string };
  readonly load: () => Promise<Result<readonly T[]>>;
  readonly searchFields: (item: T) => readonly (string | null | undefined)[];
  /** The address, targets and platform cells of one row. */
  readonly cells: (item: T, caps: Capabilities | null) => readonly [ReactNode, ReactNode, ReactNode];
  readonly toValue: (item: T) => AddressListValue;
  readonly save: (value: AddressListValue) => Promise<boolean>;
  readonly remove: (item: T) => Promise<Result<unknown>>;
  /** What the delete confirmation says will stop. */
  readonly removeText: (item: T) => ReactNode;
}

/** A searchable list of aliases or groups across connections, with their editor and delete confirmation. */
export function AddressListPanel<T extends { readonly connectionId: string; readonly address: string }>(props: AddressListPanelProps<T>) {
  const { kind, query, load } = props;
  const noun = NOUNS[kind];
  const { domains, revision } = useInventory();
  const capsOf = useCapabilityLookup();
  const [items, setItems] = useState<readonly T[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [removing, setRemoving] = useState<T | null>(null);
  useEffect(() => {
    void load().then((r) => (r.ok ? (setItems(r.value), setError(null)) : setError(r.error)));
    // Reloads when the inventory changes only: `load` is a fresh closure on every render.
  }, [revision]);
  const manageable = domains.filter((d) => canDo(capsOf(d.connectionId)?.[kind].manage));
  const visible = (items ?? []).filter((item) => matchesQuery(query, props.searchFields(item)));
  const [address, targets, platform] = props.columns;
  const cell = (i: 0 | 1 | 2) => (item: T) => props.cells(item, capsOf(item.connectionId))[i];
  const columns: readonly VirtualColumn<T>[] = [
    { key: 'address', label: address, width: 'minmax(220px, 1.6fr)', rowHeader: true, cell: cell(0) },
    { key: 'targets', label: targets, width: 'minmax(200px, 2fr)', cell: cell(1) },
    { key: 'platform', label: platform, width: 'minmax(140px, 1fr)', cell: cell(2) },
    {
      key: 'actions',
      label: <span className="visually-hidden">Actions</span>,
      width: '170px',
      cell: (item) => {
        const caps = capsOf(item.connectionId);
        return (
          <>
            <Button size="sm" onClick={() => setEditing(item)} disabled={!canDo(caps?.[kind].manage)} title={whyNot(caps?.[kind].manage, `Manage ${noun.many}`)} aria-label={`${props.edit.ariaPrefix} ${item.address}`}>
              {props.edit.label}
            </Button>
            <Button size="sm" variant="ghost" className="btn--danger-text" onClick={() => setRemoving(item)} disabled={!canDo(caps?.[kind].manage)} aria-label={`Delete ${item.address}`}>
              Delete
            </Button>
          </>
        );
      },
    },
  ];
  return (
    <div className="panel-stack">
      <div className="panel-toolbar">
        <p className="muted">{props.intro}</p>
        <Button variant="primary" icon={<Icon name="plus" size={16} />} onClick={() => setEditing('new')} disabled={manageable.length === 0}>
          New {noun.one}
        </Button>
      </div>
      {error ? (
        <ErrorMessage error={error} title={`Could not read the ${noun.many}.`} />
      ) : items === null ? (
        <SkeletonRows label={`Loading ${noun.many}`} />
      ) : visible.length === 0 ? (
        <EmptyState title={items.length ? `No ${noun.one} matches the search` : `No ${noun.many} yet`} icon={<Icon name="mailboxes" size={28} />}>
          <p>{items.length ? `Clear the search to see every ${noun.one}.` : props.emptyHint}</p>
        </EmptyState>
      ) : (
        <VirtualTable label={noun.title} columns={columns} rows={visible} rowKey={(item) => `${item.connectionId}/${item.address}`} />
      )}
      {editing ? <AddressListDialog kind={kind} domains={manageable} initial={editing === 'new' ? undefined : props.toValue(editing)} onSubmit={props.save} onClose={() => setEditing(null)} /> : null}
      {removing ? (
        <ConfirmDialog title={`Delete ${removing.address}?`} confirmLabel={`Delete ${noun.one}`} danger onCancel={() => setRemoving(null)} onConfirm={() => void runChange(`delete ${removing.address}`, () => props.remove(removing), { connectionId: removing.connectionId, object: removing.address }).then(() => setRemoving(null))}>
          <p>{props.removeText(removing)}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
