import { EmptyState } from '../../components/empty-state.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';

/** Deliverability: DNS and authentication checks per domain (placeholder until the check engine lands). */
export function DeliverabilityPage() {
  return (
    <div className="page">
      <PageHeader title="Deliverability" description="MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT and blocklist checks for every domain, with history." />
      <EmptyState
        title="No domains to check yet"
        icon={<Icon name="deliverability" size={28} />}
        action={
          <a className="btn btn--primary" href="#/connections">
            Go to Connections
          </a>
        }
      >
        <p>No domains to check yet — add a connection, and Mailroom checks the DNS and authentication records of each of its domains.</p>
      </EmptyState>
    </div>
  );
}
