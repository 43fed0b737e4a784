import { EmptyState } from '../../components/empty-state.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';

/** Mailboxes: users, aliases, groups and forwarding across platforms (placeholder until provisioning lands). */
export function MailboxesPage() {
  return (
    <div className="page">
      <PageHeader title="Mailboxes" description="Create, change and remove mailboxes, aliases, groups and forwarding; see storage per mailbox." />
      <EmptyState
        title="No mailboxes yet"
        icon={<Icon name="mailboxes" size={28} />}
        action={
          <a className="btn btn--primary" href="#/connections">
            Go to Connections
          </a>
        }
      >
        <p>No mailboxes yet — add a connection to a mail platform and Mailroom lists its mailboxes with their quota and usage.</p>
      </EmptyState>
    </div>
  );
}
