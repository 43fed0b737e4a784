import { useDeferredValue, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CachedDomain } from '../../../shared/domain/inventory.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { SkeletonRows } from '../../components/skeleton.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { canDo } from '../../lib/capability-support.ts';
import { useCapabilityLookup } from '../../state/capabilities-store.ts';
import { useConnections } from '../../state/connections-store.ts';
import { provisioningConnections, reloadForPage, useInventory } from '../../state/inventory-store.ts';
import { matchesQuery, useSearch } from '../../state/search-store.ts';
import { ConnectionStrip } from './connection-strip.tsx';
import { DkimDialog } from './dkim-dialog.tsx';
import { CreateDomainDialog, DeleteDomainDialog } from './domain-dialogs.tsx';
import { DomainsTable } from './domains-table.tsx';

/** Domains: every mail domain across the connected platforms, refresh per connection, and the Storage view (`storage`, composed by the app). */
export function DomainsPage({ storage }: { readonly storage: ReactNode }) {
  // The list arriving (1,000 domains) renders in the background, in slices between frames, like the page itself.
  const inventory = useDeferredValue(useInventory());
  const allConnections = useConnections((s) => s.items);
  const connectionsError = useConnections((s) => s.loadError);
  const capsOf = useCapabilityLookup();
  const query = useSearch((s) => s.query);
  const [tab, setTab] = useState<'domains' | 'storage'>('domains');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<CachedDomain | null>(null);
  const [dkimOf, setDkimOf] = useState<CachedDomain | null>(null);
  const [health, setHealth] = useState<ReadonlyMap<string, number> | null>(null);
  useEffect(reloadForPage, []);
  useEffect(() => {
    // The score of the last deliverability check of every domain, in one call; a domain never checked says so.
    void api.dns.domains().then((r) => setHealth(new Map(r.ok ? r.value.map((run) => [run.domain, run.score]) : [])));
  }, [inventory.revision]);
  const connections = provisioningConnections(allConnections);
  const creatable = connections.filter((c) => canDo(capsOf(c.id)?.domain.create));
  const loadError = connectionsError ?? inventory.loadError;
  // Domains inherit their connection's MSP customer: the column shows it and the filter finds it.
  const customers = useMemo(() => new Map(allConnections.flatMap((c) => (c.customer ? [[c.id, c.customer] as const] : []))), [allConnections]);
  const visible = useMemo(() => inventory.domains.filter((d) => matchesQuery(query, [d.name, d.connectionName, d.connectionKind, d.description, customers.get(d.connectionId)])), [inventory.domains, query, customers]);
  const refreshing = Object.values(inventory.refreshes).some((r) => r.status === 'running');
  return (
    <div className="page page--wide">
      <PageHeader
        title="Domains"
        description="Mail domains across every connected platform, from the local cache. Refresh a connection to read its latest state."
        actions={
          connections.length ? (
            <>
              <Button busy={refreshing} onClick={() => void inventory.refreshAll()}>
                Refresh all
              </Button>
              <Button variant="primary" icon={<Icon name="plus" size={16} />} onClick={() => setCreating(true)} disabled={creatable.length === 0} title={creatable.length ? undefined : 'No connected platform lets Mailroom create domains.'}>
                New domain
              </Button>
            </>
          ) : null
        }
      />
      {!inventory.loaded ? (
        <SkeletonRows label="Loading domains" />
      ) : loadError ? (
        <ErrorMessage error={loadError} title="Could not read the domain cache." />
      ) : connections.length === 0 ? (
        <EmptyState title="No domains yet" icon={<Icon name="domains" size={28} />} action={<a className="btn btn--primary" href="#/connections">Go to Connections</a>}>
          <p>Add a connection to a mail platform (PostfixAdmin, mailcow, Stalwart, Google Workspace, Microsoft 365) and its domains appear here.</p>
        </EmptyState>
      ) : (
        <>
          <ConnectionStrip connections={connections} domains={inventory.domains} />
          <Tabs label="Domain views" current={tab} onChange={setTab} items={[{ id: 'domains', label: 'Domains', count: inventory.domains.length }, { id: 'storage', label: 'Storage' }]} />
          <section id={`tabpanel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="tabpanel">
            {tab === 'storage' ? (
              storage
            ) : inventory.domains.length === 0 ? (
              <EmptyState title="The cache holds no domains" icon={<Icon name="domains" size={28} />}>
                <p>Refresh a connection above to read its domains, or create one.</p>
              </EmptyState>
            ) : visible.length === 0 ? (
              <EmptyState title="No domain matches the filter">
                <p>Nothing matches “{query}”.</p>
              </EmptyState>
            ) : (
              <DomainsTable domains={visible} customers={customers} health={health} onDelete={setDeleting} onDkim={setDkimOf} />
            )}
          </section>
        </>
      )}
      {creating ? <CreateDomainDialog connections={creatable} onClose={() => setCreating(false)} /> : null}
      {deleting ? <DeleteDomainDialog domain={deleting} onClose={() => setDeleting(null)} /> : null}
      {dkimOf ? <DkimDialog domain={dkimOf} capabilities={capsOf(dkimOf.connectionId)} onClose={() => setDkimOf(null)} /> : null}
    </div>
  );
}
