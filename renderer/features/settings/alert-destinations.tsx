import { useState } from 'react';
import type { AlertDelivery, AlertDestination } from '../../../shared/domain/alerts.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Table } from '../../components/table.tsx';
import { notify, notifyError } from '../../state/toast-store.ts';
import { KIND_LABELS } from './alert-destination-form.tsx';

const SNOOZE_HOURS = [
  { hours: 1, label: '1 hour' },
  { hours: 8, label: '8 hours' },
  { hours: 24, label: '1 day' },
  { hours: 168, label: '1 week' },
];

/** The destinations table: test, snooze or wake, edit and remove each one. */
export function AlertDestinationsTable({ destinations, onChanged, onEdit }: { readonly destinations: readonly AlertDestination[]; readonly onChanged: () => void; readonly onEdit: (d: AlertDestination) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [tested, setTested] = useState<Record<string, AlertDelivery | AppError>>({});
  const [hours, setHours] = useState<Record<string, number>>({});
  const act = async (key: string, work: () => Promise<void>) => {
    setBusy(key);
    await work();
    setBusy(null);
  };
  const test = (d: AlertDestination) =>
    act(`test:${d.id}`, async () => {
      const r = await api.alerts.test(d.id);
      setTested((t) => ({ ...t, [d.id]: r.ok ? r.value : r.error }));
    });
  const snooze = (d: AlertDestination, wake: boolean) =>
    act(`snooze:${d.id}`, async () => {
      const until = wake ? null : new Date(Date.now() + (hours[d.id] ?? 1) * 3_600_000).toISOString();
      const r = await api.alerts.snooze(d.id, until);
      if (!r.ok) return notifyError('Could not snooze the destination', r.error);
      notify({ tone: 'success', title: wake ? `“${d.name}” is awake` : `“${d.name}” snoozed`, body: wake ? 'Alerts go to it again.' : `No alerts until ${new Date(until!).toLocaleString()}.` });
      onChanged();
    });
  const remove = (d: AlertDestination) =>
    act(`remove:${d.id}`, async () => {
      if (!window.confirm(`Remove the alert destination “${d.name}”? Its webhook URL is deleted from the keychain.`)) return;
      const r = await api.alerts.removeDestination(d.id);
      if (!r.ok) return notifyError('Could not remove the destination', r.error);
      notify({ tone: 'success', title: `“${d.name}” removed`, body: 'Alerts no longer go there.' });
      onChanged();
    });
  return (
    <>
      <Table
        caption="Alert destinations"
        head={
          <tr>
            <th>Destination</th>
            <th>Where</th>
            <th>Snooze</th>
            <th>Actions</th>
          </tr>
        }
      >
        {destinations.map((d) => {
          const snoozed = d.snoozedUntil !== null && Date.parse(d.snoozedUntil) > Date.now();
          return (
            <tr key={d.id} aria-label={d.name}>
              <td>
                {d.name}
                <div className="muted">{KIND_LABELS[d.kind]}</div>
              </td>
              <td className="mono">{d.to ?? d.urlOrigin ?? 'this desktop'}</td>
              <td>
                {snoozed ? (
                  <>
                    <Badge tone="warning">Until {new Date(d.snoozedUntil!).toLocaleString()}</Badge>{' '}
                    <Button size="sm" busy={busy === `snooze:${d.id}`} onClick={() => void snooze(d, true)}>
                      Wake
                    </Button>
                  </>
                ) : (
                  <span className="form__row">
                    <select className="field__control" aria-label={`Snooze ${d.name} for`} value={hours[d.id] ?? 1} onChange={(e) => setHours((h) => ({ ...h, [d.id]: Number(e.target.value) }))}>
                      {SNOOZE_HOURS.map((s) => (
                        <option key={s.hours} value={s.hours}>
                          {s.label}
                        </option>
                      ))}
                    </select>
                    <Button size="sm" busy={busy === `snooze:${d.id}`} onClick={() => void snooze(d, false)}>
                      Snooze
                    </Button>
                  </span>
                )}
              </td>
              <td>
                <Button size="sm" busy={busy === `test:${d.id}`} onClick={() => void test(d)} aria-label={`Send a test alert to ${d.name}`}>
                  Test
                </Button>{' '}
                <Button size="sm" variant="ghost" onClick={() => onEdit(d)} aria-label={`Edit ${d.name}`}>
                  Edit
                </Button>{' '}
                <Button size="sm" variant="danger" busy={busy === `remove:${d.id}`} onClick={() => void remove(d)} aria-label={`Remove ${d.name}`}>
                  Remove
                </Button>
              </td>
            </tr>
          );
        })}
      </Table>
      {destinations.map((d) => {
        const outcome = tested[d.id];
        return (
          <div key={d.id} aria-live="polite" data-testid={`test-result-${d.name}`}>
            {outcome === undefined ? null : 'code' in outcome ? <ErrorMessage error={outcome} compact /> : <p className="muted">{`Test to ${d.name}: ${outcome.outcome === 'sent' ? 'delivered' : outcome.outcome === 'logged' ? 'logged' : 'failed'}. ${outcome.detail}`}</p>}
          </div>
        );
      })}
    </>
  );
}
