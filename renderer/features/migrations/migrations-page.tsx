import { EmptyState } from '../../components/empty-state.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';

/** Migrations: plan and run mailbox moves between platforms (placeholder until the planner lands). */
export function MigrationsPage() {
  return (
    <div className="page">
      <PageHeader title="Migrations" description="Plan mailbox moves between platforms offline, then run them batch by batch with verification." />
      <EmptyState
        title="No migrations planned"
        icon={<Icon name="migrations" size={28} />}
        action={
          <a className="btn btn--primary" href="#/connections">
            Go to Connections
          </a>
        }
      >
        <p>No migrations yet — add a source and a target connection, then plan which mailboxes to move and when to cut over DNS.</p>
      </EmptyState>
    </div>
  );
}
