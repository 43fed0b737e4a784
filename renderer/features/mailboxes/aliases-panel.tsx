import type { CachedAlias } from '../../../shared/domain/inventory.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { AddressListPanel } from './address-list-panel.tsx';
import { runChange } from './mailbox-actions.ts';

/** Aliases and catch-alls across connections, with an editor for their targets. */
export function AliasesPanel({ query }: { readonly query: string }) {
  return (
    <AddressListPanel<CachedAlias>
      kind="alias"
      query={query}
      intro={
        <>
          Aliases deliver to one or more addresses; the catch-all (<code>@domain</code>) takes mail for unknown addresses of its domain.
        </>
      }
      emptyHint="Create an alias such as sales@ or info@ that delivers to one or more mailboxes."
      columns={['Alias', 'Delivers to', 'Platform']}
      edit={{ label: 'Edit', ariaPrefix: 'Edit' }}
      load={() => api.aliases.list({ limit: 10_000 })}
      searchFields={(a) => [a.address, ...a.targets, a.connectionName]}
      cells={(a) => [
        <span key="address" className="vtable__line vtable__primary">
          {a.address.startsWith('@') ? <Badge tone="info">Catch-all</Badge> : null} {a.address}
          {!a.active ? <Badge tone="warning">Inactive</Badge> : null}
        </span>,
        <span key="targets" className="vtable__line" title={a.targets.join(', ')}>
          {a.targets.join(', ')}
        </span>,
        a.connectionName,
      ]}
      toValue={(a) => ({ connectionId: a.connectionId, address: a.address, name: '', targets: a.targets })}
      save={(v) => runChange(`save alias ${v.address}`, () => api.aliases.upsert(v.connectionId, { address: v.address, targets: v.targets }), { connectionId: v.connectionId, object: v.address })}
      remove={(a) => api.aliases.remove(a.connectionId, a.address)}
      removeText={(a) => `Mail to this address will no longer reach ${a.targets.join(', ')}.`}
    />
  );
}
