import type { CachedGroup } from '../../../shared/domain/inventory.ts';
import { api } from '../../api/client.ts';
import { AddressListPanel } from './address-list-panel.tsx';
import { runChange } from './mailbox-actions.ts';

const MODEL_TEXT: Record<string, string> = { object: 'group object', list: 'distribution list', 'alias-fanout': 'alias with several targets', none: '' };

/** Groups and distribution lists across connections, with a members editor. */
export function GroupsPanel({ query }: { readonly query: string }) {
  return (
    <AddressListPanel<CachedGroup>
      kind="group"
      query={query}
      intro="Groups deliver to every member. Platforms model them differently; the Platform column says how."
      emptyHint="Create a group such as team@ and choose its members."
      columns={['Group', 'Members', 'Platform']}
      edit={{ label: 'Members', ariaPrefix: 'Edit members of' }}
      load={() => api.groups.list({ limit: 10_000 })}
      searchFields={(g) => [g.address, g.name, ...g.members, g.connectionName]}
      cells={(g, caps) => [
        <>
          <span className="vtable__primary">{g.address}</span>
          <span className="vtable__sub">{g.name ?? ''}</span>
        </>,
        <span className="vtable__line">
          {g.members.length} · <span className="muted">{g.members.slice(0, 4).join(', ')}{g.members.length > 4 ? ', …' : ''}</span>
        </span>,
        <>
          <span className="vtable__primary-sm">{g.connectionName}</span>
          <span className="vtable__sub">{MODEL_TEXT[caps?.group.model ?? 'none']}</span>
        </>,
      ]}
      toValue={(g) => ({ connectionId: g.connectionId, address: g.address, name: g.name ?? '', targets: g.members })}
      save={(v) => runChange(`save group ${v.address}`, () => api.groups.upsert(v.connectionId, { address: v.address, ...(v.name ? { name: v.name } : {}), members: v.targets }), { connectionId: v.connectionId, object: v.address })}
      remove={(g) => api.groups.remove(g.connectionId, g.address)}
      removeText={(g) => `Mail to this group will no longer reach its ${g.members.length} members.`}
    />
  );
}
