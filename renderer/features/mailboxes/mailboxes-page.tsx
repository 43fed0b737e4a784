import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CachedMailbox } from '../../../shared/domain/inventory.ts';
import { Button } from '../../components/button.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Tabs } from '../../components/tabs.tsx';
import { reloadForPage, useInventory } from '../../state/inventory-store.ts';
import { useSearch } from '../../state/search-store.ts';
import { AliasesPanel } from './aliases-panel.tsx';
import { CreateMailboxDialog } from './create-mailbox-dialog.tsx';
import { GroupsPanel } from './groups-panel.tsx';
import { MailboxCsv } from './mailbox-csv.tsx';
import { MailboxesPanel } from './mailboxes-panel.tsx';
import { useMailboxRows } from './mailbox-rows-store.ts';

type Tab = 'mailboxes' | 'aliases' | 'groups' | 'routing';

/** Mailboxes: one table of every mailbox on every domain, plus aliases, groups and the routing view (`routing`, composed by the app). */
export function MailboxesPage({ routing }: { readonly routing: ReactNode }) {
  const [tab, setTab] = useState<Tab>(() => (location.hash.split('?tab=')[1] as Tab | undefined) ?? 'mailboxes');
  const [creating, setCreating] = useState(false);
  const [csv, setCsv] = useState(false);
  const query = useSearch((s) => s.query);
  const inventory = useInventory();

  useEffect(reloadForPage, []);
  useEffect(() => {
    // A click on a domain in the Domains page opens this page filtered to it.
    const picked = sessionStorage.getItem('mailroom.domain-filter');
    sessionStorage.removeItem('mailroom.domain-filter');
    if (picked) {
      const slash = picked.indexOf('/');
      useMailboxRows.getState().setFilters({ connectionId: picked.slice(0, slash), domain: picked.slice(slash + 1) });
    } else useMailboxRows.getState().reload();
  }, []);
  // Search as you type: 100 ms after the last key, so a fast typist sends one query, not one per letter.
  useEffect(() => {
    const timer = setTimeout(() => useMailboxRows.getState().setText(query), 100);
    return () => clearTimeout(timer);
  }, [query]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'n' && !e.ctrlKey && !e.metaKey && !e.altKey && !(e.target instanceof HTMLInputElement) && !(e.target instanceof HTMLTextAreaElement) && !document.querySelector('.dialog')) {
        e.preventDefault();
        setCreating(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const mailboxTotal = useMemo(() => inventory.domains.reduce((n, d) => n + (d.mailboxCount ?? 0), 0), [inventory.domains]);
  return (
    <div className="page page--wide">
      <PageHeader
        title="Mailboxes"
        description="Every mailbox on every domain, from the local cache. Press / to search, n for a new mailbox."
        actions={
          <>
            <Button icon={<Icon name="download" size={16} />} onClick={() => setCsv(true)}>
              Import / export
            </Button>
            <Button variant="primary" icon={<Icon name="plus" size={16} />} onClick={() => setCreating(true)}>
              New mailbox
            </Button>
          </>
        }
      />
      <Tabs<Tab>
        label="Mailbox views"
        current={tab}
        onChange={setTab}
        items={[
          { id: 'mailboxes', label: 'Mailboxes', count: mailboxTotal || null },
          { id: 'aliases', label: 'Aliases & catch-alls' },
          { id: 'groups', label: 'Groups' },
          { id: 'routing', label: 'Routing' },
        ]}
      />
      <section id={`tabpanel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'mailboxes' ? <MailboxesPanel onCreate={() => setCreating(true)} /> : null}
        {tab === 'aliases' ? <AliasesPanel query={query} /> : null}
        {tab === 'groups' ? <GroupsPanel query={query} /> : null}
        {tab === 'routing' ? routing : null}
      </section>
      {creating ? <CreateMailboxDialog domains={inventory.domains} onClose={() => setCreating(false)} /> : null}
      {csv ? <MailboxCsv onClose={() => setCsv(false)} /> : null}
    </div>
  );
}

/** Key of a mailbox row unique across connections. */
export function mailboxKey(m: CachedMailbox): string {
  return `${m.connectionId}/${m.address}`;
}
