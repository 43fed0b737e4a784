import { useEffect, useState } from 'react';
import type { AddConnectionOptions, ConnectionEdit, ConnectionSummary } from '../../../shared/domain/connection.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { followConnections, useConnections, type NewConnectionRequest } from '../../state/connections-store.ts';
import { matchesQuery, useSearch } from '../../state/search-store.ts';
import { notify, notifyError } from '../../state/toast-store.ts';
import { AddConnectionPanel } from './add-connection-panel.tsx';
import { AssignCustomerDialog } from './assign-customer-dialog.tsx';
import { serverInfo } from './connection-info.ts';
import { ConnectionsTable } from './connections-table.tsx';
import { useConnectionTests } from './connection-tests-store.ts';
import { EditConnectionPanel } from './edit-connection-panel.tsx';
import { RemoveConnectionDialog } from './remove-connection-dialog.tsx';

/** Connections: add (tested first) a server of any platform, list, test (with the capability matrix), edit and remove connections. */
export function ConnectionsPage() {
  const store = useConnections();
  const tests = useConnectionTests();
  const query = useSearch((s) => s.query);
  const [removing, setRemoving] = useState<ConnectionSummary | null>(null);
  const [removeBusy, setRemoveBusy] = useState(false);
  const [editing, setEditing] = useState<ConnectionSummary | null>(null);
  const [assigning, setAssigning] = useState<ConnectionSummary | null>(null);

  useEffect(() => {
    void useConnections.getState().load();
    return followConnections();
  }, []);

  const add = async (request: NewConnectionRequest, options: AddConnectionOptions) => {
    const result = await store.add(request, options);
    if (result.ok) {
      tests.clearTest(result.value.id);
      notify({ tone: 'success', title: `Added “${result.value.name}”`, body: options.test ? 'The test passed: Mailroom can log in.' : 'Saved untested: run a test to check that Mailroom can log in.' });
    }
    return result;
  };
  // Saving an edit re-tests at once: the row then shows the new outcome, never the one before the edit.
  const saveEdit = async (edit: ConnectionEdit) => {
    const result = await store.edit(editing!.id, edit);
    if (result.ok) {
      setEditing(null);
      notify({ tone: 'success', title: `Saved “${result.value.name}”`, body: 'Testing it again…' });
      void tests.test(result.value.id);
    }
    return result;
  };
  const pin = async (c: ConnectionSummary, fingerprint: string) => {
    const result = await store.edit(c.id, { settings: { pinnedFingerprint: fingerprint } });
    if (result.ok) void tests.test(c.id);
    else notifyError(`Could not pin the certificate of “${c.name}”`, result.error, { connection: c.name });
  };
  // The outcome shows inline under the row, so a test needs no toast.
  const test = (c: ConnectionSummary) => void tests.test(c.id);
  const confirmRemove = async (force: boolean) => {
    if (!removing) return;
    setRemoveBusy(true);
    const result = await store.remove(removing.id, force);
    if (result.ok) tests.clearTest(removing.id);
    if (result.ok && editing?.id === removing.id) setEditing(null);
    setRemoveBusy(false);
    if (result.ok) notify({ tone: 'success', title: `Removed “${removing.name}”` });
    else notifyError(`Could not remove “${removing.name}”`, result.error, { connection: removing.name });
    setRemoving(null);
  };

  const visible = store.items.filter((c) => {
    const info = serverInfo(c);
    return matchesQuery(query, [c.name, info.primary, info.secondary ?? undefined, c.kind, c.customer]);
  });

  return (
    <div className="page">
      <PageHeader title="Connections" description="The mail platforms Mailroom manages. Credentials stay in the system keychain and never reach this window again." />
      <div className="split">
        <section className="split__main" aria-label="Connection list">
          {!store.loaded ? (
            <div className="loading">
              <Spinner label="Loading connections" />
            </div>
          ) : store.loadError ? (
            <ErrorMessage error={store.loadError} title="Could not load the connections." />
          ) : store.items.length === 0 ? (
            <EmptyState title="No connections yet" icon={<Icon name="plug" size={28} />}>
              <p>Add your first mail platform with the form: an IMAP server, a PostfixAdmin database, mailcow, Stalwart, Google Workspace or Microsoft 365. Mailroom stores the secret in the system keychain.</p>
            </EmptyState>
          ) : visible.length === 0 ? (
            <EmptyState title="No connection matches the filter">
              <p>Nothing matches “{query}”. Clear the filter to see all {store.items.length} connections.</p>
            </EmptyState>
          ) : (
            <ConnectionsTable
              items={visible}
              tests={tests.tests}
              onTest={test}
              onEdit={setEditing}
              onAssign={setAssigning}
              onPin={(c, fingerprint) => void pin(c, fingerprint)}
              onRemove={setRemoving}
              onDismissResult={(c) => tests.clearTest(c.id)}
            />
          )}
        </section>
        <aside className="split__side">
          {editing ? <EditConnectionPanel key={editing.id} connection={editing} onSave={saveEdit} onClose={() => setEditing(null)} /> : <AddConnectionPanel onSubmit={add} />}
        </aside>
      </div>
      {assigning ? <AssignCustomerDialog connection={assigning} onClose={() => setAssigning(null)} /> : null}
      {removing ? <RemoveConnectionDialog connection={removing} busy={removeBusy} onConfirm={(force) => void confirmRemove(force)} onCancel={() => setRemoving(null)} /> : null}
    </div>
  );
}
