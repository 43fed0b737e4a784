import { useEffect, useState } from 'react';
import type { AlertDestination } from '../../../shared/domain/alerts.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { AlertDestinationForm } from './alert-destination-form.tsx';
import { AlertDestinationsTable } from './alert-destinations.tsx';
import { AlertsList } from './alerts-list.tsx';

/** Settings › Alerts: where alerts go (add, edit, test, snooze, remove) and every alert raised or resolved. Same as `mailroom alerts`. */
export function AlertsSettingsCard({ secretStore }: { readonly secretStore: string }) {
  const [destinations, setDestinations] = useState<AlertDestination[] | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  const [editing, setEditing] = useState<AlertDestination | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  // A new key after each save empties the form: the webhook URL (a token) does not stay in the page.
  const [formKey, setFormKey] = useState(0);
  const reload = () => setReloadKey((k) => k + 1);
  useEffect(() => {
    let live = true;
    void api.alerts.destinations().then((r) => {
      if (!live) return;
      setFailure(r.ok ? null : r.error);
      setDestinations(r.ok ? r.value : []);
    });
    // A raise or resolve is journaled: the list follows the journal's live event.
    const off = api.on('audit.appended', (entry) => entry.action.startsWith('alerts.') && setReloadKey((k) => k + 1));
    return () => {
      live = false;
      off();
    };
  }, [reloadKey]);
  return (
    <section className="card" id="settings-alerts" aria-labelledby="alerts-title" tabIndex={-1}>
      <h2 id="alerts-title" className="card__title">
        Alerts
      </h2>
      <p className="card__subtitle">
        Where alerts go, and every alert raised or resolved. The CLI does the same with <code>mailroom alerts</code>; <code>mailroom monitor</code> evaluates on a schedule.
      </p>
      <h3 className="card__title">Destinations</h3>
      {failure ? <ErrorMessage error={failure} compact /> : null}
      {destinations === null ? (
        <Spinner label="Loading alert destinations" />
      ) : destinations.length === 0 ? (
        <EmptyState title="No destinations yet">Add one below: a desktop notification, an email, or a Slack, Teams or generic webhook.</EmptyState>
      ) : (
        <AlertDestinationsTable destinations={destinations} onChanged={reload} onEdit={setEditing} />
      )}
      <AlertDestinationForm
        key={`${editing?.id ?? 'new'}-${formKey}`}
        editing={editing}
        secretStore={secretStore}
        onSaved={() => {
          setEditing(null);
          setFormKey((k) => k + 1);
          reload();
        }}
        onCancel={() => setEditing(null)}
      />
      <h3 className="card__title">Alerts</h3>
      <AlertsList reloadKey={reloadKey} />
    </section>
  );
}
