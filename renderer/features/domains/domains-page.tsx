import { EmptyState } from '../../components/empty-state.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';

/** Domains: every mail domain across the connected platforms (placeholder until provisioning lands). */
export function DomainsPage() {
  return (
    <div className="page">
      <PageHeader title="Domains" description="Mail domains across every connected platform, with their mailboxes, aliases and storage." />
      <EmptyState
        title="No domains yet"
        icon={<Icon name="domains" size={28} />}
        action={
          <a className="btn btn--primary" href="#/connections">
            Go to Connections
          </a>
        }
      >
        <p>No domains yet — add a connection to a mail platform (mailcow, Stalwart, PostfixAdmin, Google Workspace, Microsoft 365) and its domains appear here.</p>
      </EmptyState>
    </div>
  );
}
